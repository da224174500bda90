import Dispatch
import Foundation
import XCTest

@testable import Futures

final class FutureTests: XCTestCase {
    func testResultTimeoutGivesUpWithoutWaitingForTheTask() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return "late"
        }
        let start = DispatchTime.now()
        XCTAssertThrowsError(try slow.result(timeout: 0.1)) {
            XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError())
        }
        let elapsed = seconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.09)
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertThrowsError(try slow.exception(timeout: 0.01)) {
            XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError())
        }
        XCTAssertFalse(slow.done)
        gate.open()
        XCTAssertEqual(try slow.result(), "late", "a timeout does not cancel the task")
        XCTAssertEqual(try slow.result(timeout: 0), "late", "a done future returns even with timeout 0")
    }

    func testCancelSucceedsOnlyBeforeTheTaskStarts() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        let gate = Gate()
        let started = DispatchSemaphore(value: 0)
        let running = pool.submit {
            started.signal(); gate.pass(); return 1
        }
        started.wait()
        let ran = Counter()
        let queued = pool.submit {
            ran.increment(); return 2
        }

        XCTAssertTrue(running.running)
        XCTAssertFalse(running.cancel(), "a running task can't be cancelled")
        XCTAssertFalse(queued.running)
        XCTAssertTrue(queued.cancel())
        XCTAssertTrue(queued.cancel(), "cancelling again still reports cancelled, like Python")
        XCTAssertTrue(queued.cancelled)
        XCTAssertTrue(queued.done)
        XCTAssertThrowsError(try queued.result()) {
            XCTAssertEqual($0 as? concurrent.futures.CancelledError, concurrent.futures.CancelledError())
        }
        XCTAssertThrowsError(try queued.exception()) {
            XCTAssertEqual($0 as? concurrent.futures.CancelledError, concurrent.futures.CancelledError())
        }

        gate.open()
        pool.shutdown(wait: true)
        XCTAssertEqual(ran.count, 0, "a cancelled task never runs")
        XCTAssertEqual(try running.result(), 1)
        XCTAssertFalse(running.cancel(), "a finished task can't be cancelled")
        XCTAssertFalse(running.cancelled)
    }

    func testDoneCallbacksFireExactlyOnce() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let future = pool.submit {
            gate.pass(); return 3
        }
        let calls = Counter()
        let seen = Counter()
        future.addDoneCallback { f in
            calls.increment()
            if (try? f.result()) == 3 { seen.increment() }
        }
        XCTAssertEqual(calls.count, 0)
        gate.open()
        XCTAssertEqual(try future.result(), 3)
        pool.shutdown(wait: true)  // the callback runs on the worker, after waiters
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(seen.count, 1, "the callback gets the finished future")

        let late = Counter()
        future.addDoneCallback { _ in late.increment() }
        XCTAssertEqual(late.count, 1, "called at once when already done")
        XCTAssertEqual(calls.count, 1)
    }

    func testDoneCallbacksFireOnceOnCancel() {
        let future = concurrent.futures.Future<Int>()
        let calls = Counter()
        future.addDoneCallback { f in
            XCTAssertTrue(f.cancelled)
            calls.increment()
        }
        XCTAssertTrue(future.cancel())
        XCTAssertTrue(future.cancel())
        XCTAssertFalse(future.setResult(1), "a cancelled future can't be completed")
        XCTAssertEqual(calls.count, 1)
    }

    func testExceptionIsNilOnSuccess() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let ok = pool.submit { 1 }
        XCTAssertNil(try ok.exception())
    }

    func testManuallyCompletedFuture() throws {
        let future = concurrent.futures.Future<String>()
        XCTAssertFalse(future.done)
        XCTAssertTrue(future.setRunningOrNotifyCancel())
        XCTAssertTrue(future.running)
        XCTAssertFalse(future.cancel())
        XCTAssertTrue(future.setResult("x"))
        XCTAssertFalse(future.setResult("y"), "only the first completion counts")
        XCTAssertFalse(future.setException(TestError(code: 1)))
        XCTAssertEqual(try future.result(), "x")

        let cancelled = concurrent.futures.Future<Int>()
        cancelled.cancel()
        XCTAssertFalse(cancelled.setRunningOrNotifyCancel(), "a cancelled future must not run")
    }

    func testFuturesAreHashableByIdentity() {
        let a = concurrent.futures.Future<Int>()
        let b = concurrent.futures.Future<Int>()
        XCTAssertEqual(a, a)
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(Set([a, b, a]).count, 2)
    }

    func testTimedOutWaitersDoNotPileUp() {
        let future = concurrent.futures.Future<Int>()
        for _ in 0..<3 { XCTAssertThrowsError(try future.result(timeout: 0.001)) }
        XCTAssertThrowsError(try future.exception(timeout: 0))
        XCTAssertEqual(future.waiterCount, 0)
        XCTAssertTrue(future.setResult(1))
        XCTAssertEqual(try future.result(timeout: 0), 1)
    }
}
