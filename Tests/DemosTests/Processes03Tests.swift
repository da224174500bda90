import Demos
import Foundation
import Futures
import Processes
import PythonRuntime
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The ports of `03-processes` against CPython 3.11's reference outputs
/// (the course's `reference/03-processes.cpython-3.11.ipynb`), embedded below as literal
/// lines, with measured numbers folded. The process cells run real worker processes: the
/// `nbrun` binary (built by `swift test`, a dependency of this target) in worker mode.
final class Processes03Tests: XCTestCase, PortTests {
    static let demos = Processes03.demos

    override func setUpWithError() throws {
        ProcessWorker.defaultExecutable = try NBRunWorker.require()
    }

    // MARK: Registration

    func testSevenDemosAndTheirRegisteredFunctions() throws {
        let demos = Processes03.demos
        XCTAssertEqual(
            demos.map(\.name),
            [
                "burn", "two-processes", "whoami", "bump", "check-positive", "chunksize", "deposit",
            ])
        XCTAssertEqual(demos.filter(\.isCPUBound).map(\.name), ["burn", "two-processes", "chunksize", "deposit"])
        XCTAssertEqual(Set(demos.map(\.fingerprint)).count, 7)
        XCTAssertEqual(Self.demo("burn").fingerprint, "4543073ba303e8ce")
        XCTAssertEqual(Catalog.demos.filter { $0.notebook == "03-processes" }.count, 7)
        XCTAssertEqual(
            Processes03.remoteFunctions.map(\.name),
            [
                "03-processes.burn", "03-processes.whoami", "03-processes.bump",
                "03-processes.check_positive", "03-processes.square", "03-processes.deposit",
            ])
        XCTAssertEqual(Set(Catalog.remoteFunctions.map(\.name)).count, Catalog.remoteFunctions.count)
    }

    // MARK: CPU-bound work

    /// Reference: `sequential: 1.00s` / `4 threads:  1.00s`. Each run burns 1 s of CPU time
    /// in all; threads that take turns on the GIL cannot do that in less than 1 s of wall
    /// time, whatever the load (on two cores without a GIL it would take about 0.5 s).
    func testFourThreadsAreNoFasterThanSequential() throws {
        let lines = try run("burn")
        XCTAssertEqual(folded(lines), ["sequential: <t>s", "4 threads:  <t>s"])
        for line in lines {
            XCTAssertGreaterThanOrEqual(try timing(line), 0.97, line)  // 1 s of CPU, one thread at a time
        }
    }

    /// Reference: `2 processes: 0.52s`. Each of the two workers burns two quarter-seconds of
    /// its own CPU time, so the wall time can't be under 0.5 s; and the workers really ran at
    /// once: between them they used more CPU time than the cell took (measured from the
    /// kernel's account of the reaped workers, not from the printed figure). Without a second
    /// core (`taskset -c 0`), or with the workers run one after another, this fails.
    func testTwoProcessesEachBurnTheirShareAtOnce() throws {
        let childrenBefore = Self.reapedChildrenCPUSeconds()
        let start = Date()
        let lines = try run("two-processes")
        let wall = Date().timeIntervalSince(start)
        let childrenCPU = Self.reapedChildrenCPUSeconds() - childrenBefore
        XCTAssertEqual(folded(lines), ["2 processes: <t>s"])
        XCTAssertGreaterThanOrEqual(try timing(lines[0]), 0.49, lines[0])
        XCTAssertGreaterThanOrEqual(childrenCPU, 0.95, "the workers burned the four quarter-seconds")
        // Under a sanitizer the workers' start-up (shadow memory) dwarfs their quarter-seconds:
        // the figures hold for the plain build.
        guard ProcessInfo.processInfo.environment["NBRUN_SANITIZER"] == nil else { return }
        XCTAssertGreaterThan(
            childrenCPU, 1.2 * wall,
            "the workers ran side by side: \(childrenCPU) s of CPU in \(wall) s (\(lines[0]))")
    }

    /// User and system CPU time of this process's children that have exited (the fork
    /// server's children included, as the kernel accounted them).
    static func reapedChildrenCPUSeconds() -> Double {
        ProcessWorker.reapedChildrenCPUSeconds
    }

    // MARK: Workers are processes

    func testTwoWorkerProcessesRanSixTasks() throws {
        XCTAssertEqual(try run("whoami"), ["2 worker processes ran 6 tasks", "the notebook itself among them: False"])
    }

    /// The worker's global counts 1, 2, 3; the notebook's stays 0, run after run (each
    /// pool starts a fresh worker).
    func testWorkerStateIsTheWorkers() throws {
        let reference = ["worker counts: [1, 2, 3]", "notebook still has counter = 0"]
        XCTAssertEqual(try run("bump"), reference)
        XCTAssertEqual(try run("bump"), reference)
    }

    func testErrorsCrossAndLambdasDoNot() throws {
        XCTAssertEqual(
            try run("check-positive"),
            ["3 -> 3", "-1 failed: -1 is negative", "5 -> 5", "lambda: PicklingError"])
    }

    /// Reference: `plain map: 0.001s  total=333283335000`, `chunksize=1: 1.691s`,
    /// `chunksize=1000: 0.013s`. 10,000 round trips cost more than 10 whatever the load;
    /// how many times more is measured by `make bench`.
    func testChunksizeSavesTrips() throws {
        let lines = try run("chunksize")
        XCTAssertEqual(
            folded(lines),
            [
                "plain map:            <t>s  total=333283335000",
                "pool, chunksize=1:    <t>s",
                "pool, chunksize=1000: <t>s",
            ])
        guard lines.count == 3 else { return }
        XCTAssertGreaterThan(try timing(lines[1]), try timing(lines[2]), "\(lines)")
    }

    func testFourProcessesDepositExactly40000() throws {
        XCTAssertEqual(try run("deposit"), ["balance: 40000"])
    }

    // MARK: A cell's workers end with the cell

    /// What the engine does to a cell abandoned by `--timeout`: that cell's workers die, its
    /// pool breaks and it can start no more; another cell's pool is untouched and still works.
    func testTerminatingOneCellsProcessesSparesTheOthers() throws {
        let abandoned = DemoContext(seed: 1), other = DemoContext(seed: 2)
        let square = RemoteFunction<Int, Int>("03-processes.square") { $0 * $0 }  // the registered name
        func startPool(in ctx: DemoContext) throws -> concurrent.futures.ProcessPoolExecutor {
            try ctx.interpreter.run {
                let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 2)
                XCTAssertEqual(try pool.map(square, [1, 2, 3, 4]), [1, 4, 9, 16])
                return pool
            }
        }
        let doomed = try startPool(in: abandoned), kept = try startPool(in: other)
        defer { kept.shutdown() }
        let doomedPIDs = abandoned.interpreter.processScope.livePIDs
        let keptPIDs = other.interpreter.processScope.livePIDs
        XCTAssertFalse(doomedPIDs.isEmpty)
        XCTAssertFalse(keptPIDs.isEmpty)
        XCTAssertEqual(Set(doomedPIDs), Set(doomed.workerPIDs))
        XCTAssertTrue(Set(doomedPIDs).isDisjoint(with: keptPIDs))

        abandoned.terminateChildProcesses()

        XCTAssertTrue(NBRunWorker.allDead(doomedPIDs), "the abandoned cell's workers still run")
        XCTAssertFalse(keptPIDs.contains(where: NBRunWorker.isDead), "the other cell's workers died")
        XCTAssertEqual(try kept.submit(square, 12).result(), 144)
        XCTAssertThrowsError(try doomed.submit(square, 3).result()) { error in
            XCTAssertEqual(pythonExceptionName(of: error), "BrokenProcessPool")
        }
        let late = abandoned.interpreter.run {
            multiprocessing.Process(target: square, args: 1)
        }
        XCTAssertThrowsError(try late.start(), "a terminated scope starts no new process")
        doomed.shutdown()
    }
}

/// The `nbrun` binary, which registers every port's functions and serves as their worker.
enum NBRunWorker {
    /// `$NBRUN_BINARY` if set, else the sibling of the running test executable (`swift test`
    /// builds it into the same products folder).
    static let path: String? = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["NBRUN_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(
                URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("nbrun").path)
        }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("nbrun").path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "the nbrun executable was not found next to the tests (build it, or set NBRUN_BINARY)"
        }
    }

    /// The binary, or an error that fails (never skips) the test.
    static func require() throws -> String {
        guard let path else { throw Missing() }
        return path
    }

    /// Gone, or a zombie waiting to be reaped.
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state == "Z" || state == "X"
    }

    /// Polls until every pid is dead, for at most `limit` seconds (a bound on a hang, not a speed check).
    static func allDead(_ pids: [Int32], within limit: TimeInterval = 20) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while pids.contains(where: { !isDead($0) }) {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }
}
