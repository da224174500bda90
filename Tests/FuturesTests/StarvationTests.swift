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
        // Every task blocks until all 800 are running: that only happens if none queues
        // behind another. No clock is read; a busy machine only makes them meet later.
        let everyone = Meeting(parties: 800)
        var futures: [Future<Bool>] = []
        for (pool, meter) in zip(executors, meters) {
            for _ in 0..<4 { futures.append(pool.submit { meter.measure { everyone.arrive() } }) }
        }
        let met = try futures.map { try $0.result() }

        XCTAssertEqual(met.filter { !$0 }.count, 0, "all 800 blocking tasks were running at once")
        XCTAssertEqual(meters.filter { $0.peak != 4 }.count, 0, "every executor ran its 4 tasks at once")
        XCTAssertEqual(meters.map(\.completed).reduce(0, +), 800)

        for pool in executors { pool.shutdown(wait: true) }
        XCTAssertLessThanOrEqual(threadsSettle(to: baseline), baseline, "all 800 workers exited")
    }
}

/// A barrier: `arrive` blocks until `parties` threads have arrived. The limit only keeps a
/// starving pool from hanging the suite (it then returns false and the test fails).
private final class Meeting: @unchecked Sendable {
    // @unchecked: `arrived` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var arrived = 0
    private let parties: Int

    init(parties: Int) {
        self.parties = parties
    }

    func arrive(limit: TimeInterval = 60) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: limit)
        while arrived < parties, condition.wait(until: deadline) {}
        return arrived >= parties
    }
}
