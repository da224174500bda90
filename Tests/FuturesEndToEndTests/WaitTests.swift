import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class WaitTests: XCTestCase {
    func testFirstCompletedReturnsAsSoonAsOneIsDone() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return 1
        }
        let fast = pool.submit {
            sleep(seconds: 0.02); return 2
        }
        let (done, notDone) = concurrent.futures.wait([slow, fast], timeout: 5, returnWhen: .firstCompleted)
        XCTAssertEqual(done, [fast])
        XCTAssertEqual(notDone, [slow])
        gate.open()
    }

    func testFirstExceptionReturnsOnTheFirstError() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 3)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return 1
        }
        let ok = pool.submit { 2 }
        let failing: concurrent.futures.Future<Int> = pool.submit {
            sleep(seconds: 0.03); throw TestError(code: 3)
        }
        let (done, notDone) = concurrent.futures.wait([slow, ok, failing], timeout: 5, returnWhen: .firstException)
        XCTAssertEqual(done, [ok, failing])
        XCTAssertEqual(notDone, [slow])
        gate.open()
    }

    func testFirstExceptionWithoutErrorsWaitsForAll() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 3)
        defer { pool.shutdown() }
        let futures = (0..<3).map { i in
            pool.submit {
                sleep(seconds: 0.01 * Double(i)); return i
            }
        }
        let (done, notDone) = concurrent.futures.wait(futures, timeout: 5, returnWhen: .firstException)
        XCTAssertEqual(done, futures)
        XCTAssertTrue(notDone.isEmpty)
    }

    func testFirstExceptionIgnoresCancellation() {
        let cancelled = concurrent.futures.Future<Int>()
        cancelled.cancel()
        let pending = concurrent.futures.Future<Int>()
        let start = DispatchTime.now()
        let (done, notDone) = concurrent.futures.wait([cancelled, pending], timeout: 0.1, returnWhen: .firstException)
        XCTAssertGreaterThanOrEqual(seconds(since: start), 0.09)
        XCTAssertEqual(done, [cancelled])
        XCTAssertEqual(notDone, [pending])
    }

    func testAllCompletedWaitsForEveryFuture() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        let futures: [concurrent.futures.Future<Int>] = (0..<8).map { i in
            pool.submit {
                sleep(seconds: 0.01)
                if i == 4 { throw TestError(code: i) }
                return i
            }
        }
        let (done, notDone) = concurrent.futures.wait(futures + futures)
        XCTAssertEqual(done, futures, "input order, duplicates once")
        XCTAssertTrue(notDone.isEmpty)
    }

    func testTimeoutReturnsWhatIsNotDoneWithoutThrowing() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let quick = pool.submit { 1 }
        let stuck = pool.submit {
            gate.pass(); return 2
        }
        _ = try quick.result()
        let start = DispatchTime.now()
        let (done, notDone) = concurrent.futures.wait([quick, stuck], timeout: 0.1)
        let elapsed = seconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.09)
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertEqual(done, [quick])
        XCTAssertEqual(notDone, [stuck])
        XCTAssertEqual(stuck.waiterCount, 0, "the timed-out wait unhooked itself")
        gate.open()
    }

    /// A future that finishes while `wait` is looking at the futures is still counted: the
    /// wait returns at once, not at its timeout. (It once looked at `done` twice and lost a
    /// future finishing in between, and an `ALL_COMPLETED` wait slept although all were done.)
    func testAFutureFinishingWhileWaitLooksIsNotLost() {
        let rounds = 2000
        let go = DispatchSemaphore(value: 0)
        let futures = (0..<rounds).map { _ in concurrent.futures.Future<Int>() }
        let finisher = Thread {
            for (round, future) in futures.enumerated() {
                go.wait()
                for _ in 0..<(round % 64) { _ = Thread.current }  // vary where in the wait it lands
                future.setResult(round)
            }
        }
        finisher.start()
        let alreadyDone = concurrent.futures.Future<Int>()
        alreadyDone.setResult(-1)
        var slowest: TimeInterval = 0
        for future in futures {
            go.signal()
            let start = Date()
            let (_, notDone) = concurrent.futures.wait([alreadyDone, future], timeout: 20)
            slowest = max(slowest, Date().timeIntervalSince(start))
            XCTAssertTrue(notDone.isEmpty)
            if slowest > 10 { break }  // a lost wake-up: one is enough
        }
        XCTAssertLessThan(slowest, 10, "a wait slept until its timeout with every future done")
        for _ in 0..<rounds { go.signal() }  // let the finisher end if the loop broke early
    }
}
