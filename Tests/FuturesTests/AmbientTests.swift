import Dispatch
import Foundation
import FuturesTestKit
import TestKit
import XCTest

@testable import Futures

final class AmbientTests: XCTestCase {
    func testNoContextOutsideRun() {
        XCTAssertNil(Ambient.current)
        let context = RecordingContext("a")
        Ambient.run(in: context) {
            XCTAssertTrue(Ambient.current === context)
        }
        XCTAssertNil(Ambient.current)
        XCTAssertEqual(context.events, ["enter", "exit"])
    }

    func testNestedRunRestoresTheOuterContext() {
        let (outer, inner) = (RecordingContext("outer"), RecordingContext("inner"))
        Ambient.run(in: outer) {
            Ambient.run(in: inner) { XCTAssertTrue(Ambient.current === inner) }
            XCTAssertTrue(Ambient.current === outer)
        }
    }

    func testSubmitCarriesTheSubmittersContextToTheTaskThread() throws {
        let context = RecordingContext("cell")
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        defer { pool.shutdown() }
        let submitter = pthread_self()
        let carried = Ambient.run(in: context) {
            pool.submit { (Ambient.current === context, pthread_self() != submitter) }
        }
        let (sameContext, otherThread) = try carried.result()
        XCTAssertTrue(sameContext)
        XCTAssertTrue(otherThread)
        // A task submitted outside any context runs outside any, on the same workers.
        XCTAssertFalse(try pool.submit { Ambient.current != nil }.result())
    }

    func testTaskRunsBetweenEnterAndExitOnItsWorker() throws {
        let context = RecordingContext("cell")
        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        // The only worker is held until the submitter has left its context, so the worker's
        // enter cannot come before the submitter's exit (it could, and did, under TSan).
        let gate = DispatchSemaphore(value: 0)
        _ = pool.submit { gate.wait() }
        let future = Ambient.run(in: context) { pool.submit { context.events } }
        gate.signal()
        pool.shutdown(wait: true)  // outside the context: no block hooks
        // Seen from inside the task: the submitter's enter/exit, then the worker's enter.
        XCTAssertEqual(try future.result(), ["enter", "exit", "enter"])
        XCTAssertEqual(context.events, ["enter", "exit", "enter", "exit"])
    }

    func testResultAnnouncesItsBlockingWait() throws {
        let context = RecordingContext("cell")
        let future = concurrent.futures.Future<Int>()
        Thread {
            _ = context.blocked.wait(timeout: .now() + 10)  // until the waiter is blocking
            future.setResult(7)
        }.start()
        let value = try Ambient.run(in: context) { try future.result() }
        XCTAssertEqual(value, 7)
        XCTAssertEqual(context.events, ["enter", "willBlock", "didUnblock", "exit"])
        // Already done: nothing blocks, nothing is announced.
        XCTAssertEqual(try Ambient.run(in: context) { try future.result() }, 7)
        XCTAssertEqual(context.events.suffix(2), ["enter", "exit"])
    }

    func testWaitAsCompletedAndShutdownAnnounceTheirWaits() {
        for wayToWait in ["wait", "asCompleted", "shutdown"] {
            let context = RecordingContext(wayToWait)
            let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
            let gate = Gate()
            let future = pool.submit { gate.pass() }
            Thread {
                _ = context.blocked.wait(timeout: .now() + 10)
                gate.open()
            }.start()
            Ambient.run(in: context) {
                switch wayToWait {
                case "wait": _ = concurrent.futures.wait([future])
                case "asCompleted": for _ in concurrent.futures.asCompleted([future]) {}
                default: pool.shutdown(wait: true)
                }
            }
            pool.shutdown(wait: true)
            let blocking = context.events.filter { $0 != "enter" && $0 != "exit" }
            XCTAssertEqual(blocking, ["willBlock", "didUnblock"], wayToWait)
        }
    }

    func testBlockingOutsideAnyContextJustRuns() {
        XCTAssertEqual(Ambient.blocking { 42 }, 42)
    }
}
