import Foundation
import Futures
import Glibc
import PythonRuntime
import TestKit
import XCTest

/// The event loop of `Support/AsyncIO`: what the asyncio lesson depends on, as behaviour
/// (order, threads, cancellation), never as speed.
final class AsyncIOTests: XCTestCase {
    func testRunInsideARunningLoopIsARuntimeError() throws {
        let error = try asyncio.run { () -> builtins.RuntimeError? in
            do {
                try asyncio.run {}
                return nil
            } catch let error as builtins.RuntimeError {
                return error
            }
        }
        XCTAssertEqual(error?.pythonName, "RuntimeError")
    }

    func testCreateTaskStartsOnlyWhenTheCallerAwaits() throws {
        let log = try asyncio.run {
            let log = LoopBound<[String]>([])
            let task = asyncio.createTask {
                log.value.append("task runs")
                return 7
            }
            log.value.append("caller goes on")
            try await asyncio.sleep(0)
            log.value.append("caller resumed")
            log.value.append("result \(try await task.value)")
            return log.value
        }
        XCTAssertEqual(log, ["caller goes on", "task runs", "caller resumed", "result 7"])
    }

    func testWaitForReturnsTheValueInTime() throws {
        let value = try asyncio.run { try await asyncio.waitFor(5) { "quick" } }
        XCTAssertEqual(value, "quick")
    }

    func testToThreadRethrowsTheCallsError() throws {
        let error = try asyncio.run { () -> builtins.ValueError? in
            do {
                try await asyncio.toThread { throw builtins.ValueError("bad") }
                return nil
            } catch let error as builtins.ValueError {
                return error
            }
        }
        XCTAssertEqual(error, builtins.ValueError("bad"))
    }
}
