import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import XCTest

/// `PyInterpreter.cpuSeconds`: the CPU of every thread inside an interpreter, which nbrun's
/// admission takes as a cell's CPU. A cell whose threads do the work (07's twelve threads
/// fetching pages) uses next to none on the thread that runs it.
final class InterpreterCPUTests: XCTestCase {
    /// Computes for `seconds` of the calling thread's CPU; returns the CPU it used.
    private static func burn(_ seconds: Double) -> Double {
        let start = time.threadTime()
        while time.threadTime() - start < seconds { evalBreaker() }
        return time.threadTime() - start
    }

    func testThreadsStartedInsideCountBesideTheOneThatStartedThem() {
        let interpreter = PyInterpreter()
        let burned = Locked(0.0)
        let mainCPU = Locked(0.0)
        let before = interpreter.cpuSeconds
        runInInterpreter(interpreter) {
            let mainBefore = time.threadTime()
            let threads = (0..<2).map { _ in
                threading.Thread {
                    let cpu = Self.burn(0.02)
                    burned.withLock { $0 += cpu }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            mainCPU.withLock { $0 = time.threadTime() - mainBefore }
        }
        let counted = interpreter.cpuSeconds - before
        let expected = burned.withLock { $0 } + mainCPU.withLock { $0 }
        XCTAssertGreaterThanOrEqual(burned.withLock { $0 }, 0.04)
        XCTAssertGreaterThanOrEqual(counted, expected - 1e-6, "the threads' CPU and the starter's")
    }

    func testExecutorWorkersCountForTheInterpreterThatSubmitted() {
        let interpreter = PyInterpreter()
        let burned = Locked(0.0)
        let before = interpreter.cpuSeconds
        runInInterpreter(interpreter) {
            let used = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 3) { pool in
                try pool.map(0..<3) { _ in Self.burn(0.01) }
            }
            burned.withLock { $0 = used.reduce(0, +) }
        }
        XCTAssertGreaterThanOrEqual(interpreter.cpuSeconds - before, burned.withLock { $0 } - 1e-6)
        let other = PyInterpreter()
        XCTAssertEqual(other.cpuSeconds, 0, "each interpreter counts its own threads")
    }

    func testAThreadInsideTwiceCountsOnce() {
        let interpreter = PyInterpreter()
        let burned = Locked(0.0)
        runInInterpreter(interpreter) {
            let cpu = interpreter.run { Self.burn(0.02) }  // nested: already inside
            burned.withLock { $0 = cpu }
        }
        let cpu = burned.withLock { $0 }
        XCTAssertGreaterThanOrEqual(interpreter.cpuSeconds, cpu - 1e-6)
        XCTAssertLessThan(interpreter.cpuSeconds, cpu * 1.5, "not once per level")
    }
}
