import Foundation
import Futures
import PythonRuntime
import Synchronization
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
                    threading.Thread { time.sleep(0.3) }.start(); let t = threading.Thread { threading.Event().wait() };
                    t.start(); t.join()
                }
            ),
            (
                .lock,
                {
                    let lock = threading.Lock()
                    lock.acquire()
                    lock.acquire()
                }
            ),
            (.sleep, { time.sleep(0.3) }),
            (.queue, { _ = try queue.Queue<Int>().get() }),
            (.event, { _ = threading.Event().wait(timeout: 0.3) }),
            (
                .condition,
                {
                    let condition = threading.Condition(threading.Lock())
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

    /// Two threads left computing after the notebook's last cell stop for good once the
    /// kernel has shut down: their loops make no more progress and the OS has them asleep
    /// (so they use no CPU; the process's own CPU clock would count other tests' threads).
    func testLeftoverThreadsStopUsingTheCPUAtShutdown() throws {
        let interpreter = PyInterpreter(kernel: .ipykernel7)
        let progress = SpinProgress()
        interpreter.run {
            for _ in 0..<2 {
                threading.Thread {
                    progress.tids.withLock { $0.append(threading.getNativeID()) }
                    while true {
                        progress.count.add(1, ordering: .relaxed)
                        evalBreaker()
                    }
                }.start()
            }
        }
        Thread.sleep(forTimeInterval: 0.1)
        let before = progress.count.load(ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertGreaterThan(progress.count.load(ordering: .relaxed), before, "they compute before the shutdown")
        interpreter.shutDown()
        Thread.sleep(forTimeInterval: 0.05)
        let stopped = progress.count.load(ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(progress.count.load(ordering: .relaxed), stopped, "and make no progress after it")
        let tids = progress.tids.withLock { $0 }
        XCTAssertEqual(tids.count, 2)
        for tid in tids {
            let stat = try String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8)
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            XCTAssertEqual(state, "S", "thread \(tid) sleeps for good")
        }
    }

    /// A task made in one cell runs on between cells and is awaited by a later one; an
    /// asyncio lock made in one cell works in the next (one loop for the notebook).
    func testOneEventLoopForTheNotebook() throws {
        let ctx = DemoContext(seed: 1, kernel: .ipykernel7)
        let ticks = Locked(0)
        let task = Locked<asyncio.Task<Int>?>(nil)
        let lock = asyncio.Lock()
        let cell = { @Sendable (body: @escaping asyncio.Coroutine<Int>) throws -> Int in
            try ctx.interpreter.run { try asyncio.topLevel(ctx, body) }
        }
        _ = try cell {
            task.withLock { made in
                made = asyncio.createTask {
                    for _ in 0..<5 {
                        ticks.withLock { $0 += 1 }
                        try await asyncio.sleep(0.02)
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

/// What the spinners of the shutdown test report: their progress and their thread ids.
final class SpinProgress: Sendable {
    let count = Atomic<Int>(0)
    let tids = Locked<[Int]>([])
}
