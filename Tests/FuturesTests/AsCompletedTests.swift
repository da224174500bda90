import Dispatch
import Foundation
import XCTest

@testable import Futures

final class AsCompletedTests: XCTestCase {
    func testYieldsEveryFutureOnceInFinishingOrderFailuresIncluded() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        let gates = (0..<4).map { _ in Gate() }
        let futures: [concurrent.futures.Future<Int>] = (0..<4).map { i in
            pool.submit {
                gates[i].pass()
                if i % 2 == 1 { throw TestError(code: i) }
                return i
            }
        }
        // Finish the tasks one at a time in this order. Each step waits for the done-callback,
        // which runs after asCompleted's waiter, so the order seen is deterministic.
        let order = [2, 0, 3, 1]
        var iterator = concurrent.futures.asCompleted(futures).makeIterator()
        DispatchQueue.global().async {
            for i in order {
                let finished = DispatchSemaphore(value: 0)
                futures[i].addDoneCallback { _ in finished.signal() }
                gates[i].open()
                finished.wait()
            }
        }
        var yielded: [concurrent.futures.Future<Int>] = []
        while let f = iterator.next() { yielded.append(f) }
        XCTAssertEqual(yielded, order.map { futures[$0] })
        XCTAssertThrowsError(try yielded[3].result()) { XCTAssertEqual($0 as? TestError, TestError(code: 1)) }
    }

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

    func testEmptyInputYieldsNothing() throws {
        XCTAssertTrue(Array(concurrent.futures.asCompleted([concurrent.futures.Future<Int>]())).isEmpty)
        XCTAssertNil(try concurrent.futures.asCompleted([concurrent.futures.Future<Int>](), timeout: 0).next())
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
