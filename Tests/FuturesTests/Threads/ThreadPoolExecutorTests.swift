import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class ThreadPoolExecutorTests: XCTestCase {
    func testSubmitNeverBlocksWhenWorkersAreBusy() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let blocker = pool.submit { gate.pass() }
        // The worker is held at the gate: a submit that blocked would never get past this line.
        let queued = (0..<1000).map { i in pool.submit { i } }
        XCTAssertFalse(blocker.done)
        XCTAssertFalse(queued.contains { $0.done })
        gate.open()
        XCTAssertEqual(try queued.map { try $0.result() }, Array(0..<1000))
    }

    func testTaskErrorIsStoredAndRethrown() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let failing: concurrent.futures.Future<Int> = pool.submit { throw TestError(code: 7) }
        XCTAssertThrowsError(try failing.result()) { XCTAssertEqual($0 as? TestError, TestError(code: 7)) }
        XCTAssertEqual(try failing.exception() as? TestError, TestError(code: 7))
        XCTAssertTrue(failing.done)
        XCTAssertFalse(failing.cancelled)
        // The worker survived the error.
        XCTAssertEqual(try pool.submit { 42 }.result(), 42)
    }

    func testSubmitAfterShutdownIsAnError() {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        pool.shutdown()
        let ran = Counter()
        let late = pool.submit { ran.increment() }
        XCTAssertTrue(late.done)
        XCTAssertThrowsError(try late.result()) {
            XCTAssertEqual(
                $0 as? builtins.RuntimeError, builtins.RuntimeError("cannot schedule new futures after shutdown"))
        }
        pool.shutdown()  // again: harmless
        XCTAssertEqual(ran.count, 0)
    }

    func testShutdownWithoutWaitReturnsAtOnceAndQueuedWorkStillRuns() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        let gate = Gate()
        let first = pool.submit {
            gate.pass(); return 1
        }
        let second = pool.submit { 2 }
        pool.shutdown(wait: false)  // the worker is held at the gate: a waiting shutdown never returns
        gate.open()
        XCTAssertEqual(try first.result(timeout: 5), 1)
        XCTAssertEqual(try second.result(timeout: 5), 2)
        pool.shutdown(wait: true)
        XCTAssertEqual(pool.pool.threadCount, 0)
    }

    func testShutdownCancelFuturesCancelsQueuedWork() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        let gate = Gate()
        let started = DispatchSemaphore(value: 0)
        let running = pool.submit {
            started.signal(); gate.pass(); return 1
        }
        started.wait()
        let ran = Counter()
        let queued = (0..<3).map { _ in pool.submit { ran.increment() } }
        pool.shutdown(wait: false, cancelFutures: true)
        XCTAssertTrue(queued.allSatisfy(\.cancelled))
        gate.open()
        pool.shutdown(wait: true)
        XCTAssertEqual(try running.result(), 1)
        XCTAssertEqual(ran.count, 0)
    }

    func testMapAfterShutdownThrowsShutdown() {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        pool.shutdown()
        XCTAssertThrowsError(try pool.map([1, 2]) { $0 }) {
            XCTAssertEqual(
                $0 as? builtins.RuntimeError, builtins.RuntimeError("cannot schedule new futures after shutdown"))
        }
    }

    func testDefaultMaxWorkersFollowsPython() {
        let pool = concurrent.futures.ThreadPoolExecutor()
        XCTAssertEqual(pool.maxWorkers, min(32, ProcessInfo.processInfo.activeProcessorCount + 4))
    }
}
