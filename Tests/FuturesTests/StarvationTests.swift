import Dispatch
import Foundation
import XCTest

@testable import Futures

/// The GCD trap: blocking tasks on a shared, slowly growing thread pool. Each executor owns
/// its threads, so 200 executors × 4 workers really run 800 blocking tasks side by side,
/// even on 2 cores.
final class StarvationTests: XCTestCase {
    func test200ExecutorsWithBlockingTasksAllOverlap() throws {
        let baseline = processThreadCount()
        let executors = (0..<200).map { _ in ThreadPoolExecutor(maxWorkers: 4) }
        let meters = executors.map { _ in ConcurrencyMeter() }
        let start = DispatchTime.now()
        var futures: [Future<Void>] = []
        for (pool, meter) in zip(executors, meters) {
            for _ in 0..<4 { futures.append(pool.submit { meter.measure { sleep(seconds: 0.1) } }) }
        }
        for f in futures { try f.result() }
        let elapsed = seconds(since: start)

        XCTAssertLessThan(elapsed, 2.0, "800 tasks of 100 ms should overlap, not queue behind each other")
        XCTAssertEqual(meters.filter { $0.peak != 4 }.count, 0, "every executor ran its 4 tasks at once")
        XCTAssertEqual(meters.map(\.completed).reduce(0, +), 800)

        for pool in executors { pool.shutdown(wait: true) }
        XCTAssertLessThanOrEqual(threadsSettle(to: baseline), baseline, "all 800 workers exited")
    }
}
