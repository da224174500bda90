import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ProcessPoolTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testWorkersAreRealProcessesStartedOnDemandAndReused() throws {
        let pids = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            try pool.map(FixtureFunctions.whoami, Array(repeating: 0.1, count: 6))
        }
        XCTAssertEqual(pids.count, 6)
        XCTAssertFalse(pids.contains(getpid()), "a task ran in the parent")
        XCTAssertEqual(Set(pids).count, 2, "6 sleeping tasks on 2 workers start exactly 2")
        XCTAssertEqual(survivors(of: Array(Set(pids)), within: 0), [], "shutdown(wait:) left workers behind")
    }

    func testOneWorkerIsStartedPerTaskWithNoIdleWorker() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 4) { pool in
            XCTAssertEqual(pool.workerPIDs, [], "no worker before the first submit")
            XCTAssertEqual(try pool.submit(FixtureFunctions.square, 3).result(), 9)
            // The idle worker takes the next tasks one after another: no new process.
            for n in 0..<5 { XCTAssertEqual(try pool.submit(FixtureFunctions.square, n).result(), n * n) }
            XCTAssertEqual(pool.workerPIDs.count, 1)
        }
    }

    func testWorkerStatePersistsAndStaysInTheWorker() throws {
        let counts = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            try (0..<3).map { _ in try pool.submit(FixtureFunctions.bump).result() }
        }
        XCTAssertEqual(counts, [1, 2, 3])
        XCTAssertEqual(try FixtureFunctions.bump(), 1, "the parent's counter was still 0")
    }

    func testErrorsCrossWithTheirTypeNameAndMessage() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            let futures = try [3, -1, 5].map { try pool.submit(FixtureFunctions.checkPositive, $0) }
            XCTAssertEqual(try futures[0].result(), 3)
            assertPythonError(try futures[1].result(), "ValueError", "-1 is negative")
            XCTAssertEqual(try futures[2].result(), 5)
            assertPythonError(
                try pool.submit(FixtureFunctions.swiftFailure, 7).result(),
                "FixtureFailure", "fixture failure 7")
            assertPythonError(try pool.submit(FixtureFunctions.unregistered, 1).result(), "AttributeError")
            let failed = try pool.submit(FixtureFunctions.checkPositive, -2)
            XCTAssertEqual(try failed.exception().map(pythonExceptionName(of:)), "ValueError")
        }
    }

    func testClosureFailsWithPicklingErrorAndThePoolStaysUsable() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            let lambda = try pool.submit({ (x: Int) in x * 2 }, 21)
            XCTAssertThrowsError(try lambda.result()) { error in
                XCTAssertEqual(pythonExceptionName(of: error), "PicklingError")
                // CPython's shape; the address is masked as the compare rules mask it.
                let message = pythonExceptionMessage(of: error).replacingOccurrences(
                    of: #"0x[0-9a-f]+"#, with: "0x...", options: .regularExpression)
                XCTAssertEqual(
                    message, "Can't pickle <function <lambda> at 0x...>: attribute lookup <lambda> on __main__ failed")
            }
            assertPythonError(try pool.submit { 42 }.result(), "PicklingError")
            XCTAssertEqual(try pool.submit(FixtureFunctions.square, 12).result(), 144)
        }
    }

    func testSharedValueCannotBeSentToAPool() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            let job = FixtureFunctions.Deposit(balance: try multiprocessing.Value<Int32>(0), times: 1)
            assertPythonError(try pool.submit(FixtureFunctions.deposit, job).result(), "RuntimeError")
            XCTAssertEqual(try pool.submit(FixtureFunctions.square, 2).result(), 4)
        }
    }

    func testMapSendsOneMessagePerChunk() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            XCTAssertEqual(try pool.map(FixtureFunctions.square, 0..<10, chunksize: 3), (0..<10).map { $0 * $0 })
            XCTAssertEqual(pool.messagesSent, 4)
            XCTAssertEqual(try pool.map(FixtureFunctions.square, 0..<10), (0..<10).map { $0 * $0 })
            XCTAssertEqual(pool.messagesSent, 14, "chunksize 1: one message per item")
            XCTAssertEqual(
                try pool.map(FixtureFunctions.checkPositive, [1, 2, 3, 4, 5], chunksize: 5), [1, 2, 3, 4, 5])
            XCTAssertEqual(pool.messagesSent, 15)
        }
    }

    func testMapRaisesTheFirstErrorInInputOrder() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            assertPythonError(
                try pool.map(FixtureFunctions.checkPositive, [1, -2, 3, -4], chunksize: 2),
                "ValueError", "-2 is negative")
        }
    }

    func testSubmitAfterShutdownFails() throws {
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        XCTAssertEqual(try pool.submit(FixtureFunctions.square, 5).result(), 25)
        let pids = pool.workerPIDs
        pool.shutdown()
        XCTAssertThrowsError(try pool.submit(FixtureFunctions.square, 5).result()) { error in
            XCTAssertEqual(
                error as? builtins.RuntimeError, builtins.RuntimeError("cannot schedule new futures after shutdown"))
        }
        XCTAssertEqual(survivors(of: pids, within: 0), [])
        XCTAssertEqual(pool.workerPIDs, [])
    }

    func testWorkersInheritOnlyTheirOwnDescriptors() throws {
        // A descriptor the parent leaves inheritable on purpose must still not reach a worker.
        let leaked = dup2(open("/dev/null", O_RDONLY), 200)
        defer { close(leaked) }
        XCTAssertEqual(leaked, 200)
        let fds = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            try pool.submit(FixtureFunctions.openDescriptors).result()
        }
        XCTAssertEqual(Array(fds.prefix(4)), [0, 1, 2, 3])
        XCTAssertFalse(fds.contains(200), "worker inherited the parent's fd: \(fds)")
        XCTAssertLessThanOrEqual(fds.count, 6, "unexpected descriptors in the worker: \(fds)")
    }

    func testWorkersCanWriteTheirStandardOutputToStandardError() throws {
        let manager = FileManager.default
        let parentStdout = try manager.destinationOfSymbolicLink(atPath: "/proc/self/fd/1")
        let parentStderr = try manager.destinationOfSymbolicLink(atPath: "/proc/self/fd/2")
        defer { ProcessWorker.standardOutputToStandardError = false }
        for redirected in [false, true] {
            ProcessWorker.standardOutputToStandardError = redirected
            let target = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
                try pool.submit(FixtureFunctions.standardOutputTarget).result()
            }
            XCTAssertEqual(target, redirected ? parentStderr : parentStdout)
        }
    }
}
