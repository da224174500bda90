import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Workers that die, pools that are terminated, parents that are killed: nothing hangs and
/// no process is left behind.
final class ProcessFailureTests: XCTestCase {
    private var fixture = ""

    override func setUpWithError() throws {
        fixture = try WorkerFixture.install()
    }

    /// Submits two long tasks on two workers and waits until both run.
    private func busyPool() throws -> (concurrent.futures.ProcessPoolExecutor, [concurrent.futures.Future<Int32>]) {
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 2)
        let futures = try (0..<3).map { _ in try pool.submit(FixtureFunctions.whoami, 30) }
        XCTAssertTrue(eventually { pool.workerPIDs.count == 2 && futures.filter(\.running).count == 2 })
        return (pool, futures)
    }

    func testKilledWorkerBreaksThePoolWithoutHanging() throws {
        let (pool, futures) = try busyPool()
        let pids = pool.workerPIDs
        XCTAssertEqual(kill(pids[0], SIGKILL), 0)
        for future in futures {
            assertPythonError(
                try future.result(timeout: 10), "BrokenProcessPool",
                "A process in the process pool was terminated abruptly while the future was running or pending.")
        }
        assertPythonError(try pool.submit(FixtureFunctions.square, 2).result(timeout: 10), "BrokenProcessPool")
        pool.shutdown(wait: true)
        XCTAssertEqual(survivors(of: pids), [], "the other worker was not killed")
    }

    func testTerminateKillsTheWorkersAndFailsTheirFutures() throws {
        let (pool, futures) = try busyPool()
        let pids = pool.workerPIDs
        pool.terminate()
        XCTAssertEqual(survivors(of: pids, within: 0), [], "terminate(wait:) returned before reaping")
        assertPythonError(try futures[0].result(timeout: 10), "BrokenProcessPool")
        assertPythonError(try futures[1].result(timeout: 10), "BrokenProcessPool")
        XCTAssertTrue(futures[2].cancelled, "the queued task should be cancelled")
    }

    func testTerminateAllWorkersKillsEveryPoolAndProcess() throws {
        let first = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        let second = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        let running = [try first.submit(FixtureFunctions.whoami, 30), try second.submit(FixtureFunctions.whoami, 30)]
        let child = multiprocessing.Process(target: FixtureFunctions.whoami, args: 30)
        try child.start()
        XCTAssertTrue(eventually { running.allSatisfy(\.running) })
        let pids = first.workerPIDs + second.workerPIDs + [try child.pid ?? 0]
        concurrent.futures.ProcessPoolExecutor.terminateAllWorkers()
        for future in running { assertPythonError(try future.result(timeout: 10), "BrokenProcessPool") }
        try child.join(timeout: 10)
        XCTAssertEqual(try child.exitcode, -SIGKILL)
        first.shutdown()
        second.shutdown()
        XCTAssertEqual(survivors(of: pids), [])
    }

    /// The error is the spawn's, as CPython's subprocess raises it for a missing program.
    func testAMissingExecutableFailsTheFutureInsteadOfHanging() throws {
        let missing = "[Errno 2] No such file or directory: '/nonexistent/worker'"
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1, executable: "/nonexistent/worker")
        let future = try pool.submit(FixtureFunctions.square, 2)
        assertPythonError(try future.result(timeout: 10), "FileNotFoundError", missing)
        pool.shutdown()
        let child = multiprocessing.Process(target: FixtureFunctions.bump, executable: "/nonexistent/worker")
        assertPythonError(try child.start(), "FileNotFoundError", missing)
        XCTAssertNil(try child.pid)
    }

    func testADroppedPoolRetiresItsWorkers() throws {
        var pids: [Int32] = []
        do {
            let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 2)
            _ = try pool.map(FixtureFunctions.whoami, [0.05, 0.05])
            pids = pool.workerPIDs
        }
        XCTAssertEqual(pids.count, 2)
        XCTAssertEqual(survivors(of: pids), [], "workers of a dropped pool kept running")
    }

    func testWorkersDieWhenTheirParentIsTerminated() throws {
        try checkOrphans(killingParentWith: SIGTERM)
    }

    func testWorkersDieWhenTheirParentIsKilled() throws {
        try checkOrphans(killingParentWith: SIGKILL)
    }

    /// Runs the fixture as a parent with 2 pool workers and a Process, kills it, and
    /// checks that its children die too.
    private func checkOrphans(killingParentWith signal: Int32) throws {
        let parent = Foundation.Process()
        parent.executableURL = URL(fileURLWithPath: fixture)
        parent.arguments = ["parent-with-pool", "2"]
        let output = Pipe()
        parent.standardOutput = output
        try parent.run()
        defer { if parent.isRunning { kill(parent.processIdentifier, SIGKILL) } }

        let line = Locked<String?>(nil)
        let read = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                data += chunk
            }
            line.withLock { $0 = String(decoding: data, as: UTF8.self) }
            read.signal()
        }
        XCTAssertEqual(read.wait(timeout: .now() + 20), .success, "the fixture never printed its workers")
        let pids = (line.withLock { $0 } ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        XCTAssertEqual(pids.count, 3, "expected 2 workers and 1 process, got \(pids)")
        XCTAssertFalse(pids.contains(where: processIsDead), "children died before the parent")
        // Everything it started: its fork server too, and the children the server forked.
        let descendants = descendants(of: parent.processIdentifier)
        XCTAssertTrue(Set(pids).isSubset(of: descendants), "\(pids) not among \(descendants)")

        XCTAssertEqual(kill(parent.processIdentifier, signal), 0)
        parent.waitUntilExit()
        XCTAssertEqual(survivors(of: pids + descendants), [], "children outlived their parent")
    }

    /// Every live process below `pid`, from /proc's children lists.
    private func descendants(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let children = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { Int32($0) }
        }
        return children + children.flatMap(descendants(of:))
    }
}

/// Where Python 3.11's `concurrent.futures.ProcessPoolExecutor` raises at `submit` rather than failing the future,
/// compared with the real python3.
final class ProcessSubmitRefusalTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testSubmitAfterShutdownRaisesAtOnce() throws {
        let expected = try pythonPoolRaises(after: "    pool.shutdown()")
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        pool.shutdown()
        XCTAssertEqual(
            swiftRaises([
                { try pool.submit(FixtureFunctions.square, 2) }, { _ = try pool.map(FixtureFunctions.square, [1, 2]) },
            ]), expected)
        XCTAssertEqual(expected.first, "RuntimeError|cannot schedule new futures after shutdown")
    }

    /// A bad chunksize is Python's ValueError, not a trap.
    func testAChunksizeUnderOneIsAValueError() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let python = try PythonReference.lines(
            """
            from concurrent.futures import ProcessPoolExecutor
            if __name__ == '__main__':
                with ProcessPoolExecutor(1) as pool:
                    try:
                        pool.map(abs, [1], chunksize=0)
                    except Exception as exc:
                        print(type(exc).__name__, str(exc), sep='|')
            """)
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            XCTAssertThrowsError(try pool.map(FixtureFunctions.square, [1], chunksize: 0)) { error in
                XCTAssertEqual(["\(pythonExceptionName(of: error))|\(pythonExceptionMessage(of: error))"], python)
            }
        }
    }

    /// A lambda is refused at `submit` only for what refuses any submit; otherwise its future
    /// fails with PicklingError (address masked) and the pool stays usable, as in 3.11.
    func testALambdaFailsItsFutureWithCPythonsPicklingError() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let mask = { (text: String) in
            text.replacingOccurrences(of: #"0x[0-9a-f]+"#, with: "0x...", options: .regularExpression)
        }
        let expected = try PythonReference.lines(
            """
            from concurrent.futures import ProcessPoolExecutor
            if __name__ == '__main__':
                with ProcessPoolExecutor(1) as pool:
                    try:
                        pool.submit(lambda x: x * 2, 21).result()
                    except Exception as exc:
                        print(type(exc).__name__, str(exc), sep='|')
                    print(pool.submit(abs, -3).result())
                try:
                    pool.submit(lambda x: x * 2, 21)
                except Exception as exc:
                    print(type(exc).__name__, str(exc), sep='|')
            """
        ).map(mask)
        var ours: [String] = []
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        do {
            _ = try pool.submit({ (x: Int) in x * 2 }, 21).result()
        } catch {
            ours.append(mask("\(pythonExceptionName(of: error))|\(pythonExceptionMessage(of: error))"))
        }
        ours.append(String(try pool.submit(FixtureFunctions.checkPositive, 3).result()))
        pool.shutdown()
        do {
            _ = try pool.submit({ (x: Int) in x * 2 }, 21)
        } catch {
            ours.append("\(pythonExceptionName(of: error))|\(pythonExceptionMessage(of: error))")
        }
        XCTAssertEqual(ours, expected)
    }
}
