import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class AsCompletedTests: XCTestCase {
    func testDoneFuturesComeFirstAndDuplicatesOnce() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return 1
        }
        let fast = pool.submit { 2 }
        _ = try fast.result()
        let cancelled = concurrent.futures.Future<Int>()
        cancelled.cancel()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { gate.open() }
        let yielded = Array(concurrent.futures.asCompleted([slow, fast, slow, cancelled, fast]))
        XCTAssertEqual(yielded, [fast, cancelled, slow])
    }

    func testTimeoutThrowsOnceTheDeadlinePasses() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let gate = Gate()
        let done = pool.submit { 1 }
        _ = try done.result()
        let stuck = pool.submit {
            gate.pass(); return 2
        }
        let start = DispatchTime.now()
        let completed = concurrent.futures.asCompleted([done, stuck], timeout: 0.15)
        XCTAssertEqual(try completed.next(), done)
        XCTAssertThrowsError(try completed.next()) {
            XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError())
        }
        let elapsed = seconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.14)
        XCTAssertLessThan(elapsed, 1.0)
        gate.open()
    }

    func testTimeoutVariantYieldsAllWhenInTime() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 3)
        defer { pool.shutdown() }
        let futures = (0..<6).map { i in
            pool.submit {
                sleep(seconds: 0.01); return i
            }
        }
        let completed = concurrent.futures.asCompleted(futures, timeout: 5)
        var values: [Int] = []
        while let f = try completed.next() { values.append(try f.result()) }
        XCTAssertEqual(values.sorted(), Array(0..<6))
    }

    func testAbandoningTheIteratorUnhooksItsWaiters() {
        let future = concurrent.futures.Future<Int>()
        do {
            let completed = concurrent.futures.asCompleted([future], timeout: 0.01)
            XCTAssertThrowsError(try completed.next())
        }
        XCTAssertEqual(future.waiterCount, 0, "a timed-out asCompleted leaves no waiter behind")
        do {
            // Started, then dropped without iterating to the end.
            let iterator = concurrent.futures.asCompleted([future, concurrent.futures.Future<Int>()]).makeIterator()
            withExtendedLifetime(iterator) { XCTAssertEqual(future.waiterCount, 1) }
        }
        XCTAssertEqual(future.waiterCount, 0, "an abandoned iterator leaves no waiter behind")
    }
}
