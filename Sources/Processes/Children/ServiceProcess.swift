import CProcess
import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running helper process a run needs (a course's web server), started by the same
/// long-lived spawning thread as the workers, so it cannot outlive nbrun: it gets SIGKILL when
/// nbrun dies, even by `kill -9` (`PR_SET_PDEATHSIG`), and SIGINT/SIGTERM kill it with the
/// workers (`concurrent.futures.ProcessPoolExecutor.terminateAllWorkers`). It leads a process group of its own:
/// a terminal's ^C reaches nbrun only, and stopping the service stops what it started.
/// What it prints goes to an in-memory file, shown when it fails to start.
public final class ServiceProcess: Sendable {
    /// The service's process id (the leader of its process group).
    package let pid: pid_t
    private let output: Int32

    /// Starts `executable` (a path) with `arguments`. A failure is a `SystemCallError`
    /// (`fork` or `execv` and its errno, with the executable as its path).
    public init(executable: String, arguments: [String]) throws {
        let output = cprocess_memfd("nbrun-service-output")
        guard output >= 0 else { throw SystemCallError("memfd_create", .current) }
        do {
            pid = try ChildProcesses.spawner.run {
                var pid: pid_t = 0
                let cArguments = ([executable] + arguments).map { strdup($0) } + [nil]
                defer { for argument in cArguments { free(argument) } }
                let status = cprocess_spawn_service(&pid, executable, cArguments, output)
                guard status == 0 else { throw SystemCallError("execv", Errno(rawValue: status), path: executable) }
                ChildProcesses.live.withLock { _ = $0.insert(pid) }
                ChildProcesses.serviceGroups.withLock { _ = $0.insert(pid) }
                return pid
            }
        } catch {
            Syscall.closeIgnoringErrors(output)
            throw error
        }
        self.output = output
    }

    deinit { Syscall.closeIgnoringErrors(output) }

    /// Its exit code if it has exited (reaped then), else nil: minus the signal that killed it.
    public var exitCode: Int32? { ChildProcesses.exitCodeIfExited(pid) }

    /// What it has printed so far (stdout and stderr together), as text.
    public var printed: String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(output, $0.baseAddress, $0.count, offset) }
            guard count > 0 else { break }
            bytes += chunk[..<count]
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SIGTERM to its group, then SIGKILL after `grace` seconds if it is still there; reaps it.
    public func stop(grace: Double = 2) {
        signalGroup(SIGTERM)
        let deadline = Clock.monotonic + grace
        while exitCode == nil {
            guard Clock.monotonic < deadline else {
                signalGroup(SIGKILL)
                _ = ChildProcesses.waitForExit(pid)
                return
            }
            usleep(10_000)
        }
    }

    private func signalGroup(_ signal: Int32) {
        guard ChildProcesses.live.withLock({ $0.contains(pid) }) else { return }
        try? Syscall.signal(-pid, signal)  // ESRCH if it has not made its group yet
        ChildProcesses.kill(pid, signal: signal)
    }
}
