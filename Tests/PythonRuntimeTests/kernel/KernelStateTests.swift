import Foundation
import Futures
import PythonRuntime
import TestKit
import XCTest

/// What a kernel does around the cells: `KeyboardInterrupt` in the main thread wherever it
/// waits, the shutdown that stops leftover threads, and one event loop for the notebook.
final class KernelStateTests: XCTestCase {
    /// Starts a "cell" running `wait` as the interpreter's main thread, interrupts it after
    /// 0.1 s, and reports where it was interrupted and whether code after the wait ran.
    func interrupt(_ wait: @escaping @Sendable () throws -> Void) -> (Interruption?, ranOn: Bool) {
        let interpreter = PyInterpreter(kernel: .ipykernel7)
        let after = Locked(false)
        Thread {
            try? interpreter.run {
                try wait()
                after.withLock { $0 = true }
            }
        }.start()
        Thread.sleep(forTimeInterval: 0.1)
        let interruption = interpreter.interruptMainThread(grace: 1)
        Thread.sleep(forTimeInterval: 0.4)  // the sleep and the timed waits below have ended by now
        // The GIL is free: the next cell runs.
        XCTAssertEqual(interpreter.run { 7 }, 7)
        return (interruption, after.withLock { $0 })
    }

    func testEveryWaitOfTheMainThreadIsInterruptible() throws {
        let cases: [(ThreadState, @Sendable () throws -> Void)] = [
            (
                .join,
                {
                    PyThread { sleep(0.3) }.start(); let t = PyThread { PyEvent().wait() }; t.start(); t.join()
                }
            ),
            (
                .lock,
                {
                    let lock = PyLock()
                    lock.acquire()
                    lock.acquire()
                }
            ),
            (.sleep, { sleep(0.3) }),
            (.queue, { _ = try PyQueue<Int>().get() }),
            (.event, { _ = PyEvent().wait(timeout: 0.3) }),
            (
                .condition,
                {
                    let condition = PyCondition(PyLock())
                    try condition.withLock { _ = try condition.wait(timeout: 0.3) }
                }
            ),
        ]
        for (kind, wait) in cases {
            let (interruption, ranOn) = interrupt(wait)
            XCTAssertEqual(interruption?.waitingOn, kind, "\(kind)")
            XCTAssertFalse(ranOn, "\(kind): the code after the interrupted wait never runs")
        }
    }

    func testAMainThreadThatComputesIsNotInterrupted() {
        let interpreter = PyInterpreter()
        let stop = Locked(false)
        Thread { interpreter.run { while !stop.withLock({ $0 }) { evalBreaker() } } }.start()
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertNil(interpreter.interruptMainThread(grace: 0.1))
        stop.withLock { $0 = true }
    }

    /// Two threads left computing after the notebook's last cell use no CPU once the kernel
    /// has shut down.
    func testLeftoverThreadsStopUsingTheCPUAtShutdown() {
        let interpreter = PyInterpreter(kernel: .ipykernel7)
        interpreter.run {
            for _ in 0..<2 {
                PyThread {
                    var n = 0
                    while true {
                        n &+= 1
                        evalBreaker()
                    }
                }.start()
            }
        }
        func cpu(over seconds: Double) -> Double {
            var start = timespec()
            var end = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start)
            Thread.sleep(forTimeInterval: seconds)
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end)
            return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
        }
        XCTAssertGreaterThan(cpu(over: 0.3), 0.1, "they compute before the shutdown")
        interpreter.shutDown()
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertLessThan(cpu(over: 0.3), 0.03, "and stop for good after it")
    }

    /// A task made in one cell runs on between cells and is awaited by a later one; an
    /// asyncio lock made in one cell works in the next (one loop for the notebook).
    func testOneEventLoopForTheNotebook() throws {
        let ctx = DemoContext(seed: 1, kernel: .ipykernel7)
        let ticks = Locked(0)
        let task = Locked<LoopTask<Int>?>(nil)
        let lock = AsyncLock()
        let cell = { @Sendable (body: @escaping AsyncIO.Coroutine<Int>) throws -> Int in
            try ctx.interpreter.run { try AsyncIO.topLevel(ctx, body) }
        }
        _ = try cell {
            task.withLock { made in
                made = AsyncIO.createTask {
                    for _ in 0..<5 {
                        ticks.withLock { $0 += 1 }
                        try await AsyncIO.sleep(0.02)
                    }
                    return 42
                }
            }
            try await lock.acquire()
            return 0
        }
        Thread.sleep(forTimeInterval: 0.2)  // between cells: the task runs on
        XCTAssertEqual(ticks.withLock { $0 }, 5)
        let loopTask = try XCTUnwrap(task.withLock { $0 })
        XCTAssertEqual(try cell { try await loopTask.value }, 42)
        XCTAssertEqual(
            try cell {
                try lock.release()
                return try await lock.withLock { 1 }
            }, 1)
        ctx.interpreter.shutDown()
    }
}
