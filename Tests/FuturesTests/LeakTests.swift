import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class LeakTests: XCTestCase {
    func test10000TinyTasksOn8WorkersThenNoThreadsLeft() throws {
        let baseline = processThreadCount()
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 8)
        let meter = ConcurrencyMeter()
        let futures = (0..<10_000).map { i in pool.submit { meter.measure { i * 2 } } }
        for (i, f) in futures.enumerated() { XCTAssertEqual(try f.result(), i * 2) }
        XCTAssertLessThanOrEqual(meter.peak, 8)
        pool.shutdown(wait: true)
        XCTAssertEqual(meter.completed, 10_000)
        XCTAssertEqual(pool.pool.threadCount, 0)
        XCTAssertLessThanOrEqual(threadsSettle(to: baseline), baseline)
    }

    func testClosuresResultsAndFuturesAreReleased() throws {
        let live = LiveObjects()
        weak var weakFuture: concurrent.futures.Future<Tracked>?
        weak var weakCancelled: concurrent.futures.Future<Int>?
        do {
            let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
            let gate = Gate()
            let futures = (0..<100).map { i in
                let captured = Tracked(live, i)
                return pool.submit {
                    gate.pass(); return Tracked(live, captured.value)
                }
            }
            let capturedByCancelled = Tracked(live, -1)
            let cancelled = pool.submit { capturedByCancelled.value }
            XCTAssertTrue(cancelled.cancel())
            weakFuture = futures[0]
            weakCancelled = cancelled
            gate.open()
            XCTAssertEqual(try futures.map { try $0.result().value }, Array(0..<100))
            pool.shutdown(wait: true)
        }
        XCTAssertEqual(live.count, 0, "captured objects and results were released")
        XCTAssertNil(weakFuture)
        XCTAssertNil(weakCancelled)
    }
}
