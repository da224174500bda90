import Dispatch
import Foundation
import FuturesTestKit
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

    func testEmptyInputYieldsNothing() throws {
        XCTAssertTrue(Array(concurrent.futures.asCompleted([concurrent.futures.Future<Int>]())).isEmpty)
        XCTAssertNil(try concurrent.futures.asCompleted([concurrent.futures.Future<Int>](), timeout: 0).next())
    }
}
