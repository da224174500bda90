import Dispatch
import Foundation
import XCTest

@testable import Futures

final class WaitTests: XCTestCase {
    func testFirstCompletedReturnsAsSoonAsOneIsDone() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return 1
        }
        let fast = pool.submit {
            sleep(seconds: 0.02); return 2
        }
        let (done, notDone) = Futures.wait([slow, fast], timeout: 5, returnWhen: .firstCompleted)
        XCTAssertEqual(done, [fast])
        XCTAssertEqual(notDone, [slow])
        gate.open()
    }

    func testFirstExceptionReturnsOnTheFirstError() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 3)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return 1
        }
        let ok = pool.submit { 2 }
        let failing: Future<Int> = pool.submit {
            sleep(seconds: 0.03); throw TestError(code: 3)
        }
        let (done, notDone) = Futures.wait([slow, ok, failing], timeout: 5, returnWhen: .firstException)
        XCTAssertEqual(done, [ok, failing])
        XCTAssertEqual(notDone, [slow])
        gate.open()
    }

    func testFirstExceptionWithoutErrorsWaitsForAll() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 3)
        defer { pool.shutdown() }
        let futures = (0..<3).map { i in
            pool.submit {
                sleep(seconds: 0.01 * Double(i)); return i
            }
        }
        let (done, notDone) = Futures.wait(futures, timeout: 5, returnWhen: .firstException)
        XCTAssertEqual(done, futures)
        XCTAssertTrue(notDone.isEmpty)
    }

    func testFirstExceptionIgnoresCancellation() {
        let cancelled = Future<Int>()
        cancelled.cancel()
        let pending = Future<Int>()
        let start = DispatchTime.now()
        let (done, notDone) = Futures.wait([cancelled, pending], timeout: 0.1, returnWhen: .firstException)
        XCTAssertGreaterThanOrEqual(seconds(since: start), 0.09)
        XCTAssertEqual(done, [cancelled])
        XCTAssertEqual(notDone, [pending])
    }

    func testAllCompletedWaitsForEveryFuture() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        let futures: [Future<Int>] = (0..<8).map { i in
            pool.submit {
                sleep(seconds: 0.01)
                if i == 4 { throw TestError(code: i) }
                return i
            }
        }
        let (done, notDone) = Futures.wait(futures + futures)
        XCTAssertEqual(done, futures, "input order, duplicates once")
        XCTAssertTrue(notDone.isEmpty)
    }

    func testTimeoutReturnsWhatIsNotDoneWithoutThrowing() throws {
        let pool = ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let quick = pool.submit { 1 }
        let stuck = pool.submit {
            gate.pass(); return 2
        }
        _ = try quick.result()
        let start = DispatchTime.now()
        let (done, notDone) = Futures.wait([quick, stuck], timeout: 0.1)
        let elapsed = seconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.09)
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertEqual(done, [quick])
        XCTAssertEqual(notDone, [stuck])
        XCTAssertEqual(stuck.waiterCount, 0, "the timed-out wait unhooked itself")
        gate.open()
    }

    func testEmptyInputReturnsAtOnce() {
        let (done, notDone) = Futures.wait([Future<Int>]())
        XCTAssertTrue(done.isEmpty && notDone.isEmpty)
    }
}
