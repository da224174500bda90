import CProcess
import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// A single-threaded process of the worker executable that forks ready workers on request,
/// as Python's `forkserver` start method does: a child then costs a fork of a small process
/// that has already loaded the program, not an exec, dynamic loading and the Swift runtime's
/// start (docs/architecture.md, "The fork server", has the figures).
///
/// The server is started once per executable, at the first child that needs it, by the
/// spawning thread (so `PR_SET_PDEATHSIG` ties it to nbrun's life); its children die with it
/// the same way. It never starts a thread or touches libdispatch before forking
/// (`cprocess_fork_server` is plain C). Fds travel with `SCM_RIGHTS`. The server relays each
/// child's exit status and keeps the child a zombie until told to reap it (`release`), so a
/// pid in `ChildProcesses.live` cannot be reused while nbrun may still signal it.
///
/// When the server cannot start (the executable is missing, exits without serving, or the
/// fork server is turned off: `NBRUN_FORK_SERVER=0`, `ProcessWorker.usesForkServer`),
/// children are spawned as before (`posix_spawn`); the same when the server died.
final class ForkServer: Sendable {
    /// The server's pid (a child of nbrun, reaped by the reader thread when it ends).
    let pid: pid_t
    private let socket: Int32

    private struct State {
        /// The answer to the fork request in flight ('P' pid or 'E' errno).
        var reply: (kind: Int32, pid: Int32, value: Int32)?
        /// Exit codes reported, by child pid, until released.
        var exits: [pid_t: Int32] = [:]
        /// Signalled (and left signalled) once the child has exited, by child pid.
        var exited: [pid_t: DispatchSemaphore] = [:]
        var isGone = false
    }
    private let state = Locked(State())
    private let replied = DispatchSemaphore(value: 0)
    /// One fork request at a time: replies come back in order.
    private let requesting = NSLock()

    private init(pid: pid_t, socket: Int32) {
        self.pid = pid
        self.socket = socket
    }

    // MARK: Starting

    private static let servers = Locked<[String: ForkServer]>([:])
    /// Executables whose server started but would not serve: spawned from now on.
    private static let refused = Locked<Set<String>>([])

    /// The server for `executable`, started now if there is none; `nil` when the fork server
    /// is off or cannot run there (the caller spawns instead).
    static func forExecutable(_ executable: String) -> ForkServer? {
        guard ProcessWorker.usesForkServer else { return nil }
        if let server = running(executable) { return server }
        if refused.withLock({ $0.contains(executable) }) { return nil }
        // Started on the spawning thread: a server's PR_SET_PDEATHSIG follows that thread.
        return try? ChildProcesses.spawner.run { startIfNeeded(executable) }
    }

    /// Starts the server for `executable` on the spawning thread without waiting for it, so
    /// the first child need not (nbrun calls it when a notebook it runs uses processes).
    static func prepare(_ executable: String) {
        guard ProcessWorker.usesForkServer else { return }
        let executable = ChildProcesses.absolute(executable)
        ChildProcesses.spawner.post { _ = startIfNeeded(executable) }
    }

    /// The server of `executable` if it is serving.
    private static func running(_ executable: String) -> ForkServer? {
        servers.withLock { $0[executable] }.flatMap { $0.isGone ? nil : $0 }
    }

    /// On the spawning thread: the server of `executable`, started now if none is serving and
    /// the executable has not refused to serve.
    private static func startIfNeeded(_ executable: String) -> ForkServer? {
        if let server = running(executable) { return server }
        guard !refused.withLock({ $0.contains(executable) }), let server = start(executable) else { return nil }
        servers.withLock { $0[executable] = server }
        return server
    }

    /// Starts `executable` in fork-server mode and waits for its hello (10 s at most).
    private static func start(_ executable: String) -> ForkServer? {
        var fds: [Int32] = [-1, -1]
        guard cprocess_seqpacket_pair(&fds) == 0 else { return nil }
        let (ours, theirs) = (fds[0], fds[1])
        let pid: pid_t
        do {
            pid = try ChildProcesses.posixSpawn(
                executable, arguments: ProcessWorker.workerArguments(mode: ProcessWorker.forkServerMode),
                descriptors: [theirs], out: ProcessWorker.standardOutputToStandardError ? 2 : -1, err: -1,
                directory: nil)
        } catch {
            Syscall.closeIgnoringErrors(theirs)
            Syscall.closeIgnoringErrors(ours)
            return nil  // a missing executable: the spawn that follows reports it
        }
        Syscall.closeIgnoringErrors(theirs)  // so a server that exits is end of file here
        var polled = pollfd(fd: ours, events: Int16(POLLIN), revents: 0)
        var kind: Int32 = 0
        var serverPID: Int32 = 0
        var value: Int32 = 0
        var cpu: Int64 = 0
        let ready =
            poll(&polled, 1, 10_000) == 1 && cprocess_fork_server_receive(ours, &kind, &serverPID, &value, &cpu) == 1
            && kind == Int32(UInt8(ascii: "H")) && serverPID == pid
        guard ready else {
            // A program that does not serve forks (an older worker, another binary): spawn it.
            try? Syscall.signal(pid, SIGKILL)
            _ = try? Syscall.reap(pid)
            Syscall.closeIgnoringErrors(ours)
            refused.withLock { _ = $0.insert(executable) }
            return nil
        }
        let server = ForkServer(pid: pid, socket: ours)
        let reader = Thread { server.readReplies() }
        reader.name = "Processes.forkserver.\(pid)"
        reader.stackSize = 128 * 1024
        reader.start()
        return server
    }

    // MARK: Forking

    /// The server is gone or did not fork the child: the caller spawns it instead.
    struct Gone: Error {}

    /// Forks a worker with `arguments` in `directory` (nil: nbrun's), `descriptors` being its
    /// fds 1, 2, 3, ...; registers it in `ChildProcesses.live`. Blocks (announced through
    /// `Ambient.blocking`) until the server answers.
    func fork(arguments: [String], directory: String?, descriptors: [Int32]) throws -> pid_t {
        let folder = directory ?? FileManager.default.currentDirectoryPath
        let text = Array(folder.utf8) + [0] + arguments.flatMap { Array($0.utf8) + [0] }
        guard text.count <= Int(CPROCESS_FORK_TEXT) else { throw Gone() }  // spawn it instead
        let reply: (kind: Int32, pid: Int32, value: Int32) = try Ambient.blocking {
            requesting.lock()
            defer { requesting.unlock() }
            let status = text.withUnsafeBufferPointer { bytes in
                descriptors.withUnsafeBufferPointer { fds in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        cprocess_fork_server_send(
                            socket, Int32(UInt8(ascii: "F")), 0, chars.baseAddress, Int32(chars.count),
                            fds.baseAddress, Int32(fds.count))
                    }
                }
            }
            guard status == 0 else { throw Gone() }
            replied.wait()
            guard
                let reply = state.withLock({ s in
                    defer { s.reply = nil }; return s.reply
                })
            else { throw Gone() }
            return reply
        }
        // A request the server could not carry out (a folder it cannot open, too many fds) is
        // spawned instead, which fails the way it always did.
        guard reply.kind == Int32(UInt8(ascii: "P")) else { throw Gone() }
        ChildProcesses.adoptForked(reply.pid, by: self)
        return reply.pid
    }

    /// The reader thread: delivers replies and exit reports until the server's socket ends.
    private func readReplies() {
        var kind: Int32 = 0
        var child: Int32 = 0
        var value: Int32 = 0
        var cpu: Int64 = 0
        while cprocess_fork_server_receive(socket, &kind, &child, &value, &cpu) == 1 {
            switch UInt8(truncatingIfNeeded: kind) {
            case UInt8(ascii: "P"):
                state.withLock { s in
                    s.exited[child] = DispatchSemaphore(value: 0)
                    s.reply = (kind, child, value)
                }
                replied.signal()
            case UInt8(ascii: "E"):
                state.withLock { $0.reply = (kind, child, value) }
                replied.signal()
            case UInt8(ascii: "X"):
                ForkServer.reapedChildrenCPU.withLock { $0 += Double(cpu) / 1e6 }
                let exited = state.withLock { s in
                    s.exits[child] = value
                    return s.exited[child]
                }
                exited?.signal()
            default: break
            }
        }
        // The server died (or was killed): its children died with it (PR_SET_PDEATHSIG), and
        // their statuses with it. They count as killed; later children are spawned.
        let waiting = state.withLock { s in
            s.isGone = true
            var waiting: [DispatchSemaphore] = []
            for (child, exited) in s.exited where s.exits[child] == nil {
                s.exits[child] = -SIGKILL
                waiting.append(exited)
            }
            return waiting
        }
        for exited in waiting { exited.signal() }
        replied.signal()  // a fork request in flight gets no reply: `Gone`
        _ = try? Syscall.reap(pid)
        // The socket stays open: another thread may still be sending on it (EPIPE now), and
        // a closed number could be reused by an unrelated fd meanwhile.
    }

    var isGone: Bool { state.withLock { $0.isGone } }

    /// User and system CPU seconds of every fork-server child that has exited: what
    /// `getrusage(RUSAGE_CHILDREN)` counted when nbrun reaped its workers itself.
    static let reapedChildrenCPU = Locked(0.0)

    // MARK: The children's exits

    /// The exit code of `child` if the server reported it (Python's `exitcode`).
    func exitCode(of child: pid_t) -> Int32? { state.withLock { $0.exits[child] } }

    /// Blocks until the server reports that `child` exited.
    func waitForExit(of child: pid_t) {
        guard let exited = state.withLock({ $0.exited[child] }) else { return }
        exited.wait()
        exited.signal()
    }

    /// Whether `child` may still be signalled: alive or a zombie the server holds.
    func holds(_ child: pid_t) -> Bool {
        state.withLock { !$0.isGone && $0.exited[child] != nil }
    }

    /// Lets the server reap `child`, whose exit was reported; nbrun forgets it (called under
    /// `ChildProcesses.live`'s lock, so no signal can reach the pid after).
    func release(_ child: pid_t) {
        let known = state.withLock { s in
            s.exits[child] = nil
            return s.exited.removeValue(forKey: child) != nil && !s.isGone
        }
        guard known else { return }
        _ = cprocess_fork_server_send(socket, Int32(UInt8(ascii: "R")), child, nil, 0, nil, 0)
    }
}
