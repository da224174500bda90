import CProcess
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Every child this library started and has not reaped yet, and the one thread that starts them.
///
/// Why one long-lived spawning thread: `PR_SET_PDEATHSIG` fires when the *thread* that created
/// the child exits, not the process. A worker spawned from a short-lived thread (a cell's
/// thread, a pool thread) would be killed when that thread ends. This thread never ends, so a
/// child dies exactly when this process does.
enum ChildProcesses {
    /// Live children. A pid leaves this set only when it is reaped, so a pid in it can't have
    /// been reused by an unrelated process: killing through this set never hits a stranger.
    private static let live = Locked<Set<pid_t>>([])
    private static let spawner = SpawnerThread()

    /// Starts `executable` in worker mode with `descriptors` as its fds 3, 4, ..., as a child
    /// of `scope` (refused once the scope is terminated).
    static func spawn(
        executable: String, arguments: [String], descriptors: [Int32],
        scope: ProcessScope?
    ) throws -> pid_t {
        try scope?.checkOpen(starting: executable)
        let pid = try spawner.run {
            var pid: pid_t = 0
            let argv = [executable] + arguments
            let cArguments = argv.map { strdup($0) } + [nil]
            defer { for argument in cArguments { free(argument) } }
            let toStderr: Int32 = ProcessWorker.standardOutputToStandardError ? 1 : 0
            let status = descriptors.withUnsafeBufferPointer { fds in
                cprocess_spawn(&pid, executable, cArguments, fds.baseAddress, Int32(fds.count), toStderr)
            }
            guard status == 0 else {
                throw PythonError("OSError", "cannot start \(executable): \(String(cString: strerror(status)))")
            }
            live.withLock { _ = $0.insert(pid) }
            return pid
        }
        if let scope, !scope.adopt(pid) { kill(pid) }  // terminated while we were starting it
        return pid
    }

    /// Sends `signal` to `pid` if it is still one of ours and not reaped.
    @discardableResult
    static func kill(_ pid: pid_t, signal: Int32 = SIGKILL) -> Bool {
        live.withLock { children in
            children.contains(pid) && Glibc.kill(pid, signal) == 0
        }
    }

    /// SIGKILLs every live child of this process (pool workers and `Multiprocessing.Process`es).
    static func killAll() {
        live.withLock { children in
            for pid in children { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    static var livePIDs: Set<pid_t> { live.withLock { $0 } }

    /// Blocks until `pid` exits, reaps it, and returns its status as Python's `exitcode`:
    /// the exit status, or minus the signal that killed it.
    static func waitForExit(_ pid: pid_t) -> Int32 {
        // Wait without reaping first, so the pid stays ours while it is still in `live`.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        return live.withLock { children in
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, 0)
            children.remove(pid)
            guard reaped == pid else { return -SIGKILL }  // reaped elsewhere; treat as killed
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : -signal
        }
    }

    /// Non-blocking: the exit code if `pid` has exited (and reaps it), else `nil`.
    static func exitCodeIfExited(_ pid: pid_t) -> Int32? {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0,
            info._sifields._sigchld.si_pid == pid
        else { return nil }
        return waitForExit(pid)
    }
}

/// A thread that lives as long as the process and runs spawn requests one at a time.
private final class SpawnerThread: Sendable {
    private let requests = Locked<[@Sendable () -> Void]>([])
    private let available = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                available.wait()
                let next = requests.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                next?()
            }
        }
        thread.name = "Futures.spawner"
        thread.start()
    }

    func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
        let outcome = Locked<Result<R, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        requests.withLock {
            $0.append {
                outcome.withLock { $0 = Result(catching: body) }; done.signal()
            }
        }
        available.signal()
        done.wait()
        guard let result = outcome.withLock({ $0 }) else { preconditionFailure("spawn request not run") }
        return try result.get()
    }
}
