import Foundation
import Futures

extension threading {
    /// Python's `threading.Thread`: `start()` runs `target` on an OS thread of its own (an idle
    /// one from Futures' `ThreadCache` when there is one: a thousand notebooks' ports start
    /// thousands of threads); `join()` blocks until it has returned.
    ///
    /// The thread runs inside the interpreter of the thread that started it (more generally,
    /// under its `Ambient` context), so it takes that interpreter's GIL like a Python thread;
    /// `start()` and `join()` release the GIL while they wait. Python's `args` and `kwargs` are
    /// the target closure's captures. Calls that CPython refuses with a `RuntimeError` (starting
    /// twice, joining before `start()` or joining oneself) are bugs in a port: they stop it
    /// with CPython's message.
    public final class Thread: Sendable {
        private enum Phase: Sendable {
            case initial, starting, running, finished
        }

        private struct State: Sendable {
            var name: String
            var daemon: Bool
            var phase: Phase
            var ident: Int?
            var nativeID: Int?
        }

        private let target: (@Sendable () -> Void)?
        /// Where the thread counts itself alive; nil for MainThread and dummies, never started.
        private let registry: ThreadRegistry?
        private let state: Monitor<State>
        /// This thread's `threading.local` values, by `threading.local` key.
        let locals = Locked<[Int: any Sendable]>([:])
        /// Python's class name, for `description`.
        private let kind: String

        /// `threading.Thread(target=target, name=name, daemon=daemon)`.
        /// - Parameters:
        ///   - name: the thread's name; by default `Thread-N (targetName)`, or `Thread-N` when
        ///     `targetName` is not given, N counting the threads created in this interpreter.
        ///   - daemon: by default the creating thread's (`false` on MainThread).
        ///   - targetName: the Python target function's `__name__`, for the default name.
        ///   - target: what the thread runs (Python's `target` with its `args` captured).
        public init(
            name: String? = nil, daemon: Bool? = nil, targetName: String? = nil,
            target: @escaping @Sendable () -> Void
        ) {
            let registry = currentThreads
            self.target = target
            self.registry = registry
            kind = "Thread"
            state = Monitor(
                State(
                    name: name ?? registry.newName(targetName: targetName),
                    daemon: daemon ?? threading.currentThread().daemon, phase: .initial),
                waitKind: .join)
        }

        /// MainThread of an interpreter: alive from the start, its ident that of the OS thread
        /// that last began running a cell in it.
        init(mainThread: Void) {
            target = nil
            registry = nil
            kind = "_MainThread"
            state = Monitor(State(name: "MainThread", daemon: false, phase: .running))
        }

        /// CPython's `_DummyThread`: an OS thread `threading` did not start, alive and daemonic.
        init(foreignNamed name: String) {
            target = nil
            registry = nil
            kind = "_DummyThread"
            state = Monitor(
                State(
                    name: name, daemon: true, phase: .running, ident: threading.getIdent(),
                    nativeID: threading.getNativeID()))
        }

        /// `Thread.name`.
        public var name: String {
            get { state.withLock { $0.name } }
            set { state.withLock { $0.name = newValue } }
        }

        /// `Thread.daemon`: a daemon thread is not waited for when the interpreter shuts down.
        public var daemon: Bool {
            get { state.withLock { $0.daemon } }
            set {
                state.withLock { s in
                    precondition(s.phase == .initial, "RuntimeError: cannot set daemon status of active thread")
                    s.daemon = newValue
                }
            }
        }

        /// `Thread.ident`: `get_ident()` of the thread once started, nil before.
        public var ident: Int? { state.withLock { $0.ident } }

        /// `Thread.native_id`: the kernel's thread id once started, nil before.
        public var nativeID: Int? { state.withLock { $0.nativeID } }

        /// `Thread.is_alive()`: from `start()` until the target has returned.
        public var isAlive: Bool { state.withLock { $0.phase == .running } }

        /// `Thread.start()`: returns once the new thread is running, as CPython's does; inside an
        /// interpreter the new thread holds the GIL by then, so the caller goes on only when it
        /// blocks or the switch interval hands the GIL back, as in CPython.
        public func start() {
            let (name, daemon) = state.withLock { s in
                precondition(s.phase == .initial, "RuntimeError: threads can only be started once")
                s.phase = .starting
                return (s.name, s.daemon)
            }
            guard let target, let registry else { return }
            let context = Ambient.current
            ThreadCache.shared.run(name: name) { [self] in
                let slot = ThreadSlot.current
                slot.thread = self
                Ambient.run(in: context) {
                    // As CPython's bootstrap: the thread says it has started while holding the GIL,
                    // so it runs on before `start()` returns (until it blocks or is asked to switch).
                    registry.started(self, daemon: daemon)
                    state.withLock { s in
                        s.ident = threading.getIdent()
                        s.nativeID = threading.getNativeID()
                        s.phase = .running
                    }
                    target()
                }
                registry.finished(self)
                slot.thread = nil
                state.withLock { $0.phase = .finished }
            }
            state.wait(timeout: nil, until: { $0.phase != .starting }) { _, _ in }
        }

        /// `Thread.join()`: waits until the target has returned (at once if it has).
        public func join() {
            join(timeout: nil)
        }

        /// `Thread.join(timeout)`: waits at most `timeout` seconds (`nil`: no limit); as in
        /// Python, check `isAlive` afterwards to know whether the thread finished.
        public func join(timeout: Double?) {
            state.withLock { s in
                precondition(s.phase != .initial, "RuntimeError: cannot join thread before it is started")
            }
            precondition(threading.currentThread() !== self, "RuntimeError: cannot join current thread")
            state.wait(timeout: timeout, until: { $0.phase == .finished }) { _, _ in }
        }

        /// MainThread takes the ident of the OS thread that starts running a cell.
        func becameMain() {
            state.withLock { s in
                s.ident = threading.getIdent()
                s.nativeID = threading.getNativeID()
            }
        }
    }
}

extension threading.Thread: CustomStringConvertible {
    /// Python's `repr(thread)`, e.g. `<Thread(Thread-1 (worker), started 1403...)>`.
    public var description: String {
        state.withLock { s in
            let status =
                switch s.phase {
                case .initial: "initial"
                case .starting, .running: "started"
                case .finished: "stopped"
                }
            let daemon = s.daemon ? " daemon" : ""
            let ident = s.ident.map { " \($0)" } ?? ""
            return "<\(kind)(\(s.name), \(status)\(daemon)\(ident))>"
        }
    }
}
