import Foundation
import Glibc
import XCTest

/// End to end, on a copy of `03-processes`: whatever stops a run (a cell abandoned by
/// `--timeout`, SIGTERM, SIGINT), no worker process nbrun started outlives it, and a
/// stopped run leaves the notebook as it was.
final class ProcessWorkerCLITests: XCTestCase {
    static let notebook = CLI.repository.appendingPathComponent("notebooks/03-processes.ipynb")

    func testTimedOutCellsLeaveNoWorkerBehind() throws {
        let folder = try TemporaryDirectory()
        let copy = try folder.copy(Self.notebook)
        let run = try WatchedRun(["--timeout", "0.2", copy.path])
        let status = run.waitForExit()
        XCTAssertEqual(status.code, 1, "timed-out cells fail the run")
        XCTAssertFalse(run.workersSeen.isEmpty, "nbrun started no worker: the test proved nothing")
        XCTAssertEqual(survivors(run.childrenSeen), [], "workers outlived nbrun")
        let written = String(decoding: try Data(contentsOf: copy), as: UTF8.self)
        XCTAssertTrue(written.contains("\"ename\": \"TimeoutError\""))
    }

    func testSIGTERMKillsWorkersAndLeavesTheNotebookUntouched() throws {
        try checkStopped(by: SIGTERM, expecting: 143)
    }

    func testSIGINTKillsWorkersAndLeavesTheNotebookUntouched() throws {
        try checkStopped(by: SIGINT, expecting: 130)
    }

    private func checkStopped(by signal: Int32, expecting code: Int32) throws {
        let folder = try TemporaryDirectory()
        let copy = try folder.copy(Self.notebook)
        let before = FileSnapshot(copy)
        let run = try WatchedRun([copy.path])
        // Stop it once a worker is running (cells are running then, and nothing is written yet).
        XCTAssertTrue(run.waitUntilWorkersSeen(), "nbrun started no worker")
        XCTAssertEqual(kill(run.pid, signal), 0)
        let status = run.waitForExit()
        XCTAssertEqual(status.code, code, "exit status after signal \(signal)")
        XCTAssertFalse(status.signaled, "nbrun should exit with 128+signal, not die of it")
        XCTAssertEqual(survivors(run.childrenSeen), [], "workers outlived nbrun")
        XCTAssertEqual(FileSnapshot(copy), before, "the notebook changed")
        XCTAssertEqual(strayTemporaryFiles(folder.url), [])
    }

    /// Of `pids`, those still alive (not gone, not zombies) after waiting up to 20 s for them
    /// to go (a bound on a hang, not a speed check).
    private func survivors(_ pids: Set<Int32>) -> [Int32] {
        let deadline = Date().addingTimeInterval(20)
        var alive = pids.filter(ProcessTable.isAlive)
        while !alive.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            alive = alive.filter(ProcessTable.isAlive)
        }
        return alive.sorted()
    }
}

/// `nbrun ARGS` started in the background, with a thread noting every child process of it
/// that runs the watched executable until it exits: the nbrun binary (its workers) by
/// default, or a course service (`io-server`).
final class WatchedRun: @unchecked Sendable {
    // @unchecked: `seen` is guarded by `lock`; the rest is immutable after init.
    let process = Process()
    private let lock = NSLock()
    private var seen = Set<Int32>()
    private let exited = DispatchSemaphore(value: 0)

    var pid: Int32 { process.processIdentifier }
    /// The watched children seen so far (workers and the fork server, or the service's
    /// processes), with the fork server's children.
    var childrenSeen: Set<Int32> { lock.withLock { seen } }
    /// Of those, the workers (or the service's processes): not the fork server itself.
    var workersSeen: Set<Int32> { lock.withLock { workers } }
    private var workers = Set<Int32>()

    /// - Parameter service: the executable name of the service to watch (`io-server`);
    ///   nil watches nbrun's own workers.
    init(_ arguments: [String], service: String? = nil) throws {
        let binary = try CLI.requireBinary()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        let pid = process.processIdentifier
        let realBinary = (binary as NSString).resolvingSymlinksInPath
        // A service by its executable's name; workers by the nbrun binary itself.
        let isWatched: @Sendable (String?) -> Bool
        if let service {
            isWatched = { $0?.hasSuffix("/" + service) == true }
        } else {
            isWatched = { $0 == realBinary }
        }
        Thread { [self] in
            while process.isRunning {
                let children = ProcessTable.children(of: pid).filter { isWatched(ProcessTable.executable(of: $0)) }
                // nbrun's workers are the fork server's children (or its own when spawned).
                let servers = children.filter(ProcessTable.isForkServer)
                let workers = children.filter { !servers.contains($0) } + servers.flatMap(ProcessTable.children(of:))
                lock.withLock {
                    seen.formUnion(children + workers)
                    self.workers.formUnion(workers)
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }.start()
    }

    /// Waits (at most 60 s, then fails) until a worker has been seen.
    func waitUntilWorkersSeen() -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while workersSeen.isEmpty && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        return !workersSeen.isEmpty
    }

    /// Waits for nbrun to exit (killing it after 120 s, which fails the status checks).
    func waitForExit() -> (code: Int32, signaled: Bool) {
        if exited.wait(timeout: .now() + 120) == .timedOut {
            kill(pid, SIGKILL)
            exited.wait()
        }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }
}

/// Reading processes from /proc.
enum ProcessTable {
    /// The fields after `(comm)` in /proc/PID/stat: state, ppid, ...
    private static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// Running or sleeping: not gone, not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = statFields(pid)?.first else { return false }
        return state != "Z" && state != "X"
    }

    static func children(of parent: Int32) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard let fields = statFields(pid), fields.count > 1 else { return false }
            return Int32(fields[1]) == parent
        }
    }

    /// Whether `pid` is a fork server (`--futures-worker forkserver`); the workers it forks
    /// have its command line too, but they are its children, not nbrun's.
    static func isForkServer(_ pid: Int32) -> Bool {
        let arguments = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
        return arguments.split(separator: "\0").dropFirst().starts(with: ["--futures-worker", "forkserver"])
    }

    static func executable(of pid: Int32) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }
}
