import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// Python's `multiprocessing` module: `multiprocessing.Process`, `Pool`, `Queue`, `Lock`,
/// `Pipe`, `Value`, `Array` (apart from Foundation's `Process` and Swift's `Array` by its name).
public enum multiprocessing {}

extension multiprocessing {
    /// A child process running one registered function: Python's `multiprocessing.Process`.
    ///
    /// `start()` starts the program again in worker mode (see `ProcessWorker`) with the
    /// target's name; the argument crosses as JSON, and every shared `Value` in it crosses as
    /// an inherited fd. The child exits 0 when the target returns, 1 (after printing the
    /// exception to stderr) when it throws.
    public final class Process: Sendable {
        /// `Process.name`: as given, else `Process-N` as Python numbers them.
        public let name: String
        private let target: String
        private let encodeArgument: @Sendable (SharedDescriptors) throws -> [UInt8]
        private let executable: String
        /// The scope current where the process was created; the child is started in it.
        private let scope: ProcessScope?
        private let state = Locked<(started: Bool, pid: pid_t?, exitcode: Int32?)>((false, nil, nil))
        /// Held by `join` while it blocks, so concurrent joins reap once.
        private let joining = NSLock()
        /// Set by `close()`: every method but `close()` raises CPython's `ValueError` after it.
        private let closed = Locked(false)

        /// `multiprocessing.Process(target=f, args=(...))`: not started yet. `executable` is the worker
        /// program (the course's own binary by default).
        public init<Argument, Output>(
            target: RemoteFunction<Argument, Output>, args: Argument, name: String? = nil, executable: String? = nil
        ) {
            self.target = target.name
            self.encodeArgument = { descriptors in try target.encode([args], descriptors: descriptors) }
            self.executable = executable ?? ProcessWorker.defaultExecutable
            self.scope = ProcessScope.current
            let identity = multiprocessing.nextIdentity()  // taken even when named, as in CPython
            self.name = name ?? "Process-\(identity)"
        }

        /// A target that takes no argument (Python: `Process(target=f)`).
        public convenience init<Output>(
            target: RemoteFunction<NoValue, Output>, name: String? = nil, executable: String? = nil
        ) {
            self.init(target: target, args: NoValue(), name: name, executable: executable)
        }

        /// CPython's `_check_closed()`, which `start`, `join`, `terminate`, `kill`, `is_alive`,
        /// `exitcode` and `pid` call first.
        private func checkClosed() throws {
            if closed.withLock({ $0 }) { throw builtins.ValueError("process object is closed") }
        }

        /// Starts the child (Python: `start()`); throws if already started or the argument can't cross.
        public func start() throws {
            try checkClosed()
            try state.withLock { s in
                guard !s.started else { throw builtins.AssertionError("cannot start a process twice") }
                s.started = true
            }
            do {
                let pid = try raisingOSError { try launch() }
                state.withLock { $0.pid = pid }
            } catch {
                state.withLock { $0.started = false }  // nothing started: a retry is allowed
                throw error
            }
        }

        private func launch() throws -> pid_t {
            let descriptors = SharedDescriptors()
            let request = CallRequest(id: 0, function: target, payload: try encodeArgument(descriptors))
            let (parentEnd, childEnd) = try PoolWorker.socketPair()
            defer {
                Syscall.closeIgnoringErrors(parentEnd)
                Syscall.closeIgnoringErrors(childEnd)
            }
            let pid = try ChildProcesses.spawn(
                executable: executable,
                arguments: ProcessWorker.workerArguments(mode: "process", extra: [name]),
                descriptors: [childEnd] + descriptors.parentDescriptors, scope: scope, name: name)
            do {
                // Buffered in the socket: the child reads it even after both our ends are closed.
                try Framing.send(request.encoded(), on: parentEnd)
            } catch  where [.brokenPipe, .connectionReset].contains(error.errno) {
                // The child died before reading it (killed at once): its exitcode says so.
            } catch {
                ChildProcesses.kill(pid)
                _ = ChildProcesses.waitForExit(pid)
                throw error
            }
            return pid
        }

        /// Waits for the child to exit (Python: `join(timeout=None)`); with a timeout it may
        /// return while the child still runs (check `exitcode`). A blocking wait: announced
        /// through `Ambient.blocking` (a joining cell thread gives up its GIL meanwhile).
        /// After `close()`, `ValueError: process object is closed`.
        public func join(timeout: TimeInterval? = nil) throws {
            try checkClosed()
            Ambient.blocking { waitForExit(timeout: timeout) }
        }

        private func waitForExit(timeout: TimeInterval?) {
            guard let pid = state.withLock({ $0.pid }) else { return }
            let end = Clock.monotonic + (timeout ?? 0)
            joining.lock()
            defer { joining.unlock() }
            guard state.withLock({ $0.exitcode }) == nil else { return }
            if timeout == nil {
                let code = ChildProcesses.waitForExit(pid)
                state.withLock { $0.exitcode = code }
                return
            }
            while Clock.monotonic < end {
                if let code = ChildProcesses.exitCodeIfExited(pid) {
                    state.withLock { $0.exitcode = code }
                    return
                }
                Thread.sleep(forTimeInterval: 0.002)
            }
        }

        /// A child never joined is reaped when it exits, not left a zombie until nbrun ends
        /// (CPython reaps such children at the next `start()` or `active_children()`).
        deinit {
            let (pid, exitcode) = state.withLock { ($0.pid, $0.exitcode) }
            if let pid, exitcode == nil { ChildProcesses.reapWhenExited(pid) }
        }

        /// The child's pid once started (Python: `pid`); after `close()`, `ValueError`.
        public var pid: Int32? {
            get throws {
                try checkClosed()
                return state.withLock { $0.pid }
            }
        }

        /// `nil` until joined after exit; the exit status, or minus the signal that killed it.
        /// After `close()`, `ValueError`.
        public var exitcode: Int32? {
            get throws {
                try checkClosed()
                return state.withLock { $0.exitcode }
            }
        }

        /// Started and not yet reaped as exited (Python: `is_alive()`); after `close()`,
        /// `ValueError`.
        public var isAlive: Bool {
            get throws {
                try checkClosed()
                return running
            }
        }

        /// Started and not yet reaped as exited.
        private var running: Bool {
            let (pid, exitcode) = state.withLock { ($0.pid, $0.exitcode) }
            guard let pid, exitcode == nil else { return false }
            guard joining.try() else { return true }  // a join is waiting for it
            defer { joining.unlock() }
            guard state.withLock({ $0.exitcode }) == nil else { return false }
            guard let code = ChildProcesses.exitCodeIfExited(pid) else { return true }
            state.withLock { $0.exitcode = code }
            return false
        }

        /// Python: `close()`: the object is done with; a child still running is CPython's
        /// `ValueError`. After it, `start`, `join`, `terminate`, `kill`, `isAlive`, `exitcode`
        /// and `pid` raise `ValueError: process object is closed`, as CPython's do; `close()`
        /// again does nothing.
        public func close() throws {
            if running {
                throw builtins.ValueError(
                    "Cannot close a process while it is still running. You should first call join() or terminate().")
            }
            closed.withLock { $0 = true }
        }

        /// Sends SIGTERM (Python: `terminate()`); after `close()`, `ValueError`.
        public func terminate() throws { try signal(SIGTERM) }

        /// Sends SIGKILL (Python: `kill()`); after `close()`, `ValueError`.
        public func kill() throws { try signal(SIGKILL) }

        private func signal(_ number: Int32) throws {
            try checkClosed()
            if let pid = state.withLock({ $0.pid }) { ChildProcesses.kill(pid, signal: number) }
        }
    }
}
