import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

final class ThreadPoolExecutorTests: XCTestCase {
    func testAtMostMaxWorkersRunAtOnce() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        let meter = ConcurrencyMeter()
        let start = DispatchTime.now()
        let futures = (0..<16).map { i in
            pool.submit {
                meter.measure {
                    sleep(seconds: 0.05); return i
                }
            }
        }
        XCTAssertEqual(try futures.map { try $0.result() }, Array(0..<16))
        let elapsed = seconds(since: start)
        XCTAssertEqual(meter.peak, 4, "exactly maxWorkers tasks should overlap")
        XCTAssertEqual(meter.completed, 16)
        // 4 waves of 50 ms, not 1 (the peak above proves they overlapped, four at a time).
        XCTAssertGreaterThan(elapsed, 0.18)
    }

    func testWorkersStartLazilyAndNeverExceedMax() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 8)
        XCTAssertEqual(pool.pool.threadCount, 0)
        XCTAssertEqual(try pool.submit { 1 }.result(), 1)
        // The future completes just before its worker goes back to waiting; let it get there.
        let start = DispatchTime.now()
        while pool.pool.idleCount == 0 && seconds(since: start) < 5 { sleep(seconds: 0.001) }
        XCTAssertEqual(try pool.submit { 2 }.result(), 2)
        XCTAssertEqual(pool.pool.threadCount, 1, "an idle worker is reused")

        let gate = Gate()
        let blocked = (0..<20).map { _ in pool.submit { gate.pass() } }
        XCTAssertEqual(pool.pool.threadCount, 8)
        gate.open()
        for f in blocked { try f.result() }
        pool.shutdown(wait: true)
        XCTAssertEqual(pool.pool.threadCount, 0, "workers exit after shutdown")
    }

    func testShutdownWaitReturnsAfterEverySubmittedTaskRan() {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        let ran = Counter()
        for _ in 0..<10 {
            pool.submit {
                sleep(seconds: 0.02); ran.increment()
            }
        }
        pool.shutdown(wait: true)
        XCTAssertEqual(ran.count, 10)
        XCTAssertEqual(pool.pool.threadCount, 0)
    }

    func testWithShutsDownAtTheEnd() throws {
        let ran = Counter()
        var escaped: concurrent.futures.ThreadPoolExecutor?
        let total = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 3) { pool in
            escaped = pool
            for _ in 0..<6 {
                pool.submit {
                    sleep(seconds: 0.02); ran.increment()
                }
            }
            return try pool.submit { 5 }.result()
        }
        XCTAssertEqual(total, 5)
        XCTAssertEqual(ran.count, 6, "with waits for submitted work, like __exit__")
        XCTAssertThrowsError(try escaped!.submit { 1 }.result()) {
            XCTAssertEqual(
                $0 as? builtins.RuntimeError, builtins.RuntimeError("cannot schedule new futures after shutdown"))
        }
    }

    func testWithRethrowsAndStillShutsDown() {
        let ran = Counter()
        XCTAssertThrowsError(
            try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 2) { pool in
                for _ in 0..<4 {
                    pool.submit {
                        sleep(seconds: 0.02); ran.increment()
                    }
                }
                throw TestError(code: 1)
            }
        ) { XCTAssertEqual($0 as? TestError, TestError(code: 1)) }
        XCTAssertEqual(ran.count, 4)
    }

    func testMapReturnsResultsInInputOrder() throws {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        // Later inputs finish first; results still come back in input order.
        let results = try pool.map(0..<12) { i in
            sleep(seconds: Double(12 - i) * 0.003)
            return i * 10
        }
        XCTAssertEqual(results, (0..<12).map { $0 * 10 })
    }

    func testMapRethrowsFirstErrorInInputOrder() {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        defer { pool.shutdown() }
        XCTAssertThrowsError(
            try pool.map(0..<8) { i -> Int in
                if i == 2 { sleep(seconds: 0.1); throw TestError(code: 2) }
                if i == 5 { throw TestError(code: 5) }  // fails first in time, later in order
                return i
            }
        ) { XCTAssertEqual($0 as? TestError, TestError(code: 2)) }
    }

    func testMapTimeoutThrowsAndCancelsUnstartedWork() {
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        let gate = Gate()
        let ran = Counter()
        // The one task that starts is held at the gate: only the timeout can end the map.
        XCTAssertThrowsError(
            try pool.map(0..<5, timeout: 0.1) { i -> Int in
                ran.increment()
                gate.pass()
                return i
            }
        ) { XCTAssertEqual($0 as? builtins.TimeoutError, builtins.TimeoutError()) }
        gate.open()
        pool.shutdown(wait: true)
        XCTAssertEqual(ran.count, 1, "only the task already running went on")
    }
}
