import Foundation
import Futures
import FuturesWorkerFixture
import ProcessesTestKit
import SystemCalls
import XCTest

@testable import Processes

#if canImport(Glibc)
    import Glibc
#endif

/// Children forked by the fork server (`ForkServer`) behave as spawned ones did: their output,
/// folder, exit codes and signals, and their end with nbrun's; and the `posix_spawn` fallback.
final class ForkServerTests: XCTestCase {
    private var fixture = ""

    override func setUpWithError() throws {
        fixture = try WorkerFixture.install()
    }

    /// The parent pid of a worker, asked in the worker.
    private func workerParent(executable: String? = nil) throws -> Int32 {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1, executable: executable) { pool in
            try pool.submit(FixtureFunctions.parentPID, NoValue()).result()
        }
    }

    func testAWorkerIsForkedByASingleThreadedServerOfOurs() throws {
        let server = try workerParent()
        XCTAssertNotEqual(server, getpid(), "the worker was spawned, not forked by the server")
        XCTAssertEqual(parent(of: server), getpid())
        XCTAssertTrue(commandLine(of: server).contains(ProcessWorker.forkServerMode))
        XCTAssertEqual(threadCount(of: server), 1, "a server that forks must never have started a thread")
        XCTAssertEqual(try workerParent(), server, "one server serves every child of the executable")
    }

    func testAForkedChildStartsInItsScopesFolderAndItsOutputReachesTheScope() throws {
        let folder = try temporaryFolder()
        let scope = ProcessScope(workingDirectory: folder)
        let printed = Locked<[Bool: String]>([:])
        scope.captureOutput { isError, text in printed.withLock { $0[isError, default: ""] += text } }
        let (directory, exitcode) = try Ambient.run(in: scope) { () throws -> (String, Int32?) in
            let directory = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
                try pool.submit(MultiprocessingFunctions.workingDirectory, 0).result()
            }
            let child = multiprocessing.Process(target: MultiprocessingFunctions.say, args: 7)
            try child.start()
            try child.join()
            return (directory, try child.exitcode)
        }
        XCTAssertEqual(directory, folder)
        XCTAssertEqual(exitcode, 0)
        XCTAssertEqual(printed.withLock { $0 }, [false: "child 7\n", true: "child err 7\n"])
    }

    func testAFolderThatIsGoneFailsTheStartAsASpawnDid() throws {
        let scope = ProcessScope(workingDirectory: "/nonexistent/folder")
        let child = Ambient.run(in: scope) { multiprocessing.Process(target: MultiprocessingFunctions.nap, args: 0) }
        XCTAssertThrowsError(try child.start()) { error in
            // posix_spawn's ENOENT, as a port sees it: Python's FileNotFoundError.
            XCTAssertEqual((error as? builtins.FileNotFoundError)?.errno, ENOENT, "\(error)")
        }
        XCTAssertNil(try child.pid)
    }

    func testAForkedWorkerHasOnlyItsOwnDescriptors() throws {
        let open = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            try pool.submit(FixtureFunctions.openDescriptors, NoValue()).result()
        }
        // 0-2, the request socket, and the directory listing /proc/self/fd itself.
        XCTAssertEqual(Array(open.prefix(4)), [0, 1, 2, 3])
        XCTAssertLessThanOrEqual(open.count, 5, "the worker inherited \(open)")
    }

    func testExitCodesTerminateAndKill() throws {
        let failing = multiprocessing.Process(target: FixtureFunctions.failingTarget)
        try failing.start()
        try failing.join()
        XCTAssertEqual(try failing.exitcode, 1)
        let stops: [(Int32, (multiprocessing.Process) throws -> Void)] = [
            (SIGTERM, { try $0.terminate() }), (SIGKILL, { try $0.kill() }),
        ]
        for (signal, stop) in stops {
            let sleeper = multiprocessing.Process(target: MultiprocessingFunctions.nap, args: 100)
            try sleeper.start()
            XCTAssertTrue(try sleeper.isAlive)
            try stop(sleeper)
            try sleeper.join()
            XCTAssertEqual(try sleeper.exitcode, -signal)
            XCTAssertFalse(try sleeper.isAlive)
        }
    }

    func testAKilledServerTakesItsChildrenAndTheNextChildGetsANewOne() throws {
        let sleeper = multiprocessing.Process(target: MultiprocessingFunctions.nap, args: 100)
        try sleeper.start()
        let child = try XCTUnwrap(try sleeper.pid)
        let server = try XCTUnwrap(parent(of: child))
        XCTAssertNotEqual(server, getpid())
        XCTAssertEqual(kill(server, SIGKILL), 0)
        try sleeper.join()
        XCTAssertEqual(try sleeper.exitcode, -SIGKILL)
        XCTAssertEqual(survivors(of: [server, child]), [])
        let next = try workerParent()
        XCTAssertNotEqual(next, server)
        XCTAssertNotEqual(next, getpid(), "the next child should have a new server")
    }

    func testWithoutTheForkServerAChildIsSpawned() throws {
        ProcessWorker.usesForkServer = false
        defer { ProcessWorker.usesForkServer = true }
        XCTAssertEqual(try workerParent(), getpid())
    }

    func testAProgramThatDoesNotServeForksIsSpawned() throws {
        // A worker program that refuses fork-server mode (as an older one would).
        let script = try temporaryFolder() + "/worker.sh"
        try "#!/bin/sh\n[ \"$2\" = \(ProcessWorker.forkServerMode) ] && exit 2\nexec '\(fixture)' \"$@\"\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(script, 0o755), 0)
        XCTAssertEqual(try workerParent(executable: script), getpid())
        XCTAssertEqual(try workerParent(executable: script), getpid(), "refused once: spawned from then on")
    }

    // MARK: Helpers

    private func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-forkserver-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder
    }

    private func parent(of pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    private func commandLine(of pid: Int32) -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
    }

    private func threadCount(of pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task").count) ?? 0
    }
}
