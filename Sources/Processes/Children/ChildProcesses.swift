import CProcess
import Foundation
import Futures
import SystemCalls

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
    static let live = Locked<Set<pid_t>>([])
    static let spawner = SpawnerThread()

    /// Starts `executable` in worker mode with `descriptors` as its fds 3, 4, ..., as a child
    /// of `scope` (refused once the scope is terminated), `name` being what Python calls it
    /// (`Process-1`, `ForkPoolWorker-2`). A failure is a `SystemCallError` (`posix_spawn` and
    /// its errno, with the executable as its path).
    static func spawn(
        executable: String, arguments: [String], descriptors: [Int32],
        scope: ProcessScope?, name: String
    ) throws -> pid_t {
        try scope?.checkOpen(starting: executable)
        let executable = absolute(executable)
        let directory = scope?.workingDirectory
        // A scope that captures output gets the child's fds 1 and 2 through pipes.
        let sink = scope?.outputSink
        let pipes = try sink.map { _ in try ChildOutput.pipes() }
        let pid: pid_t
        do {
            pid = try start(
                executable: executable, arguments: arguments, descriptors: descriptors, directory: directory,
                output: pipes?.write)
        } catch {
            if let pipes { for fd in [pipes.write.out, pipes.write.err, pipes.read.out, pipes.read.err] { close(fd) } }
            throw error
        }
        if let pipes, let sink {
            close(pipes.write.out)
            close(pipes.write.err)
            ChildOutput.pump(pid, out: pipes.read.out, err: pipes.read.err, sink: sink)
        }
        if let scope, !scope.adopt(pid, name: name) { kill(pid) }  // terminated while we were starting it
        return pid
    }

    /// Forks the child from the executable's fork server when there is one, else spawns it
    /// (`output`: its fds 1 and 2; nil: this process's own, or stdout to stderr when
    /// `ProcessWorker.standardOutputToStandardError`).
    private static func start(
        executable: String, arguments: [String], descriptors: [Int32], directory: String?,
        output: (out: Int32, err: Int32)?
    ) throws -> pid_t {
        let stdoutToStderr = ProcessWorker.standardOutputToStandardError
        if let server = ForkServer.forExecutable(executable) {
            // The server has nbrun's fds of when it started: this process's own are sent too.
            let out: Int32 = output?.out ?? (stdoutToStderr ? 2 : 1)
            let err: Int32 = output?.err ?? 2
            do {
                return try server.fork(
                    arguments: arguments, directory: directory, descriptors: [out, err] + descriptors)
            } catch is ForkServer.Gone {
                // The server died or cannot take this request: spawned below.
            }
        }
        return try spawner.run {
            let pid = try posixSpawn(
                executable, arguments: arguments, descriptors: descriptors,
                out: output?.out ?? (stdoutToStderr ? 2 : -1), err: output?.err ?? -1, directory: directory)
            live.withLock { _ = $0.insert(pid) }
            return pid
        }
    }

    /// `executable` as an absolute path, since a child may start in another folder (its
    /// scope's) and a fork server is found by it.
    static func absolute(_ executable: String) -> String {
        executable.hasPrefix("/") ? executable : URL(fileURLWithPath: executable).path
    }

    /// `posix_spawn` of `executable` with `arguments`, `descriptors` as its fds 3, 4, ...,
    /// `out` and `err` as its fds 1 and 2 (-1: this process's own), in `directory` (nil: this
    /// process's). Called on the spawning thread, for `PR_SET_PDEATHSIG`.
    static func posixSpawn(
        _ executable: String, arguments: [String], descriptors: [Int32], out: Int32, err: Int32, directory: String?
    ) throws(SystemCallError) -> pid_t {
        var pid: pid_t = 0
        let cArguments = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        let status = descriptors.withUnsafeBufferPointer { fds in
            cprocess_spawn_io(&pid, executable, cArguments, fds.baseAddress, Int32(fds.count), out, err, directory)
        }
        guard status == 0 else { throw SystemCallError("posix_spawn", Errno(rawValue: status), path: executable) }
        return pid
    }

    /// Sends `signal` to `pid` if it is still one of ours and not reaped.
    @discardableResult
    static func kill(_ pid: pid_t, signal: Int32 = SIGKILL) -> Bool {
        live.withLock { children in
            // ESRCH cannot happen for an unreaped child; a zombie takes the signal silently.
            // A fork server's child is signalled only while the server holds it unreaped.
            guard children.contains(pid), forked.withLock({ $0[pid] })?.holds(pid) ?? true else { return false }
            return (try? Syscall.signal(pid, signal)) != nil
        }
    }

    /// The live children a fork server started, by pid: the server reports their exits.
    private static let forked = Locked<[pid_t: ForkServer]>([:])

    /// Records a child `server` just forked as one of ours.
    static func adoptForked(_ pid: pid_t, by server: ForkServer) {
        live.withLock { children in
            children.insert(pid)
            forked.withLock { $0[pid] = server }
        }
    }

    private static func server(of pid: pid_t) -> ForkServer? { forked.withLock { $0[pid] } }

    /// SIGKILLs every live child of this process (pool workers, `multiprocessing.Process`es,
    /// and services with their process groups).
    static func killAll() {
        live.withLock { children in
            let groups = serviceGroups.withLock { $0 }
            let forked = forked.withLock { $0 }
            for pid in children where forked[pid]?.holds(pid) ?? true {
                if groups.contains(pid) { try? Syscall.signal(-pid, SIGKILL) }
                try? Syscall.signal(pid, SIGKILL)
            }
        }
    }

    /// The live children that lead a process group of their own (services: `ServiceProcess`).
    static let serviceGroups = Locked<Set<pid_t>>([])

    static var livePIDs: Set<pid_t> { live.withLock { $0 } }

    /// Blocks until `pid` exits, reaps it, and returns its status as Python's `exitcode`:
    /// the exit status, or minus the signal that killed it.
    static func waitForExit(_ pid: pid_t) -> Int32 {
        // Wait without reaping first, so the pid stays ours while it is still in `live`.
        // ECHILD (reaped already) is the only failure for our own child; `reap` then says so.
        if let server = server(of: pid) {
            server.waitForExit(of: pid)
        } else {
            _ = try? Syscall.waitWithoutReaping(pid)
        }
        // What it wrote before exiting reaches its cell before `join()` returns (0.1 s at
        // most: a grandchild may hold its pipes open).
        ChildOutput.waitUntilDrained(pid, timeout: 0.1)
        return reap(pid)
    }

    /// Non-blocking: the exit code if `pid` has exited (and reaps it), else `nil`.
    static func exitCodeIfExited(_ pid: pid_t) -> Int32? {
        if let server = server(of: pid) {
            return server.exitCode(of: pid) == nil ? nil : reap(pid)
        }
        do {
            guard try Syscall.waitWithoutReaping(pid, blocking: false) else { return nil }
        } catch {
            return reap(pid)  // ECHILD: not waitable any more; `reap` forgets it
        }
        return reap(pid)
    }

    private static func reap(_ pid: pid_t) -> Int32 {
        let status = live.withLock { children in
            defer {
                children.remove(pid)
                serviceGroups.withLock { _ = $0.remove(pid) }
            }
            if let server = forked.withLock({ $0.removeValue(forKey: pid) }) {
                defer { server.release(pid) }
                return server.exitCode(of: pid) ?? -SIGKILL
            }
            // A pid reaped elsewhere (ECHILD) is reported as killed: its status is lost.
            return (try? Syscall.reap(pid)) ?? -SIGKILL
        }
        exitObservers.withLock { $0.removeValue(forKey: pid) }?(pid)
        return status
    }

    /// Told when a child is reaped, by pid (`ProcessScope`'s observer, for the timeline).
    static let exitObservers = Locked<[pid_t: @Sendable (pid_t) -> Void]>([:])

    /// Reaps `pid` once it exits, on a thread of its own: for a `multiprocessing.Process`
    /// dropped without `join()`, which would otherwise stay a zombie until nbrun exits.
    static func reapWhenExited(_ pid: pid_t) {
        guard live.withLock({ $0.contains(pid) }) else { return }
        let thread = Thread { _ = waitForExit(pid) }
        thread.name = "Processes.reaper.\(pid)"
        thread.stackSize = 64 * 1024
        thread.start()
    }
}

/// A thread that lives as long as the process and runs spawn requests one at a time.
final class SpawnerThread: Sendable {
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
        thread.name = "Processes.spawner"
        thread.start()
    }

    /// Runs `body` on the spawning thread later, without waiting for it.
    func post(_ body: @escaping @Sendable () -> Void) {
        requests.withLock { $0.append(body) }
        available.signal()
    }

    /// Runs `body` on the spawning thread and waits for it: a blocking wait, so a cell's
    /// thread gives up its GIL meanwhile (`Ambient.blocking`), as CPython's `fork_exec` does.
    func run<R: Sendable>(_ body: @escaping @Sendable () throws -> R) throws -> R {
        let outcome = Locked<Result<R, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        requests.withLock {
            $0.append {
                outcome.withLock { $0 = Result(catching: body) }
                done.signal()
            }
        }
        available.signal()
        Ambient.blocking { done.wait() }
        guard let result = outcome.withLock({ $0 }) else { throw builtins.RuntimeError("spawn request not run") }
        return try result.get()
    }
}
