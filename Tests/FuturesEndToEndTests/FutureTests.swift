import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class FutureTests: XCTestCase {
    func testResultTimeoutGivesUpWithoutWaitingForTheTask() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let gate = Gate()
        let slow = pool.submit {
            gate.pass(); return "late"
        }
        let start = DispatchTime.now()
        XCTAssertThrowsError(try slow.result(timeout: 0.1)) {
            XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError())
        }
        let elapsed = seconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.09)
        XCTAssertLessThan(elapsed, 1.0)
        XCTAssertThrowsError(try slow.exception(timeout: 0.01)) {
            XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError())
        }
        XCTAssertFalse(slow.done)
        gate.open()
        XCTAssertEqual(try slow.result(), "late", "a timeout does not cancel the task")
        XCTAssertEqual(try slow.result(timeout: 0), "late", "a done future returns even with timeout 0")
    }

    func testTimedOutWaitersDoNotPileUp() {
        let future = concurrent.futures.Future<Int>()
        for _ in 0..<3 { XCTAssertThrowsError(try future.result(timeout: 0.001)) }
        XCTAssertThrowsError(try future.exception(timeout: 0))
        XCTAssertEqual(future.waiterCount, 0)
        XCTAssertTrue(future.setResult(1))
        XCTAssertEqual(try future.result(timeout: 0), 1)
    }
}
