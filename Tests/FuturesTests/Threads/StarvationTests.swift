import Dispatch
import Foundation
import FuturesTestKit
import TestKit
import XCTest

@testable import Futures

/// The GCD trap: blocking tasks on a shared, slowly growing thread pool. Each executor owns
/// its threads, so 200 executors × 4 workers really run 800 blocking tasks side by side,
/// even on 2 cores.
final class StarvationTests: XCTestCase {
    func test200ExecutorsWithBlockingTasksAllOverlap() throws {
        let baseline = processThreadCount()
        let executors = (0..<200).map { _ in concurrent.futures.ThreadPoolExecutor(maxWorkers: 4) }
        let meters = executors.map { _ in ConcurrencyMeter() }
        // Every task blocks until all 800 are running: that only happens if none queues
        // behind another. No clock is read; a busy machine only makes them meet later.
        let everyone = Rendezvous(parties: 800)
        var futures: [concurrent.futures.Future<Bool>] = []
        for (pool, meter) in zip(executors, meters) {
            for _ in 0..<4 { futures.append(pool.submit { meter.measure { everyone.arrive(limit: 60) } }) }
        }
        let met = try futures.map { try $0.result() }

        XCTAssertEqual(met.filter { !$0 }.count, 0, "all 800 blocking tasks were running at once")
        XCTAssertEqual(meters.filter { $0.peak != 4 }.count, 0, "every executor ran its 4 tasks at once")
        XCTAssertEqual(meters.map(\.completed).reduce(0, +), 800)

        for pool in executors { pool.shutdown(wait: true) }
        XCTAssertLessThanOrEqual(threadsSettle(to: baseline), baseline, "all 800 workers exited")
    }
}
