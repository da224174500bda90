import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class LeakTests: XCTestCase {
    func testExecutorDroppedWithoutShutdownStillReleasesItsThreads() throws {
        let baseline = processThreadCount()
        let live = LiveObjects()
        var future: concurrent.futures.Future<Int>?
        do {
            let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
            let captured = Tracked(live, 9)
            future = pool.submit {
                sleep(seconds: 0.05); return captured.value
            }
            for _ in 0..<7 { pool.submit { sleep(seconds: 0.01) } }
        }
        // deinit acted like shutdown(wait: false): the work still finishes, then workers exit.
        XCTAssertEqual(try future?.result(timeout: 5), 9)
        future = nil
        XCTAssertLessThanOrEqual(threadsSettle(to: baseline), baseline)
        XCTAssertEqual(live.count, 0)
    }
}
