import Dispatch
import Foundation

extension concurrent.futures {
    /// The eventual result of a piece of work: Python's `concurrent.futures.Future`.
    ///
    /// Futures are normally made by `concurrent.futures.ThreadPoolExecutor.submit`. Identity-based
    /// `Hashable`, so futures can be kept in sets and dictionaries as in Python.
    /// All state sits behind one lock; waiters and callbacks run outside it.
    public final class Future<T: Sendable>: Sendable, Hashable {
        private enum Phase: Sendable {
            case pending
            case running
            case cancelled
            case finished(Result<T, any Error>)
        }

        private struct State: Sendable {
            var phase: Phase = .pending
            /// Internal wake-ups (result/asCompleted/wait), removable by id when a wait times out.
            var waiters: [(id: UInt64, fire: @Sendable () -> Void)] = []
            var nextWaiterID: UInt64 = 0
            var callbacks: [@Sendable (concurrent.futures.Future<T>) -> Void] = []
        }

        private let state = Locked(State())

        /// A pending future. Python allows this for executor implementations and tests;
        /// complete it with `setRunningOrNotifyCancel`, `setResult`, `setException`.
        public init() {}

        // MARK: Status

        /// `true` if cancelled or finished (Python: `done()`).
        public var done: Bool {
            state.withLock { s in
                switch s.phase {
                case .pending, .running: false
                case .cancelled, .finished: true
                }
            }
        }

        /// `true` while the task is executing (Python: `running()`).
        public var running: Bool {
            state.withLock { s in if case .running = s.phase { true } else { false } }
        }

        /// `true` if the future was cancelled (Python: `cancelled()`).
        public var cancelled: Bool {
            state.withLock { s in if case .cancelled = s.phase { true } else { false } }
        }

        /// Finished by throwing (not cancelled): what `concurrent.futures.wait(returnWhen: .firstException)` looks for.
        var failed: Bool {
            state.withLock { s in
                if case .finished(.failure) = s.phase { true } else { false }
            }
        }

        // MARK: Cancelling

        /// Cancels the task if it has not started (Python: `cancel()`).
        ///
        /// Returns `false` if the task is running or finished; `true` if it is (now or already)
        /// cancelled. A cancelled task never runs, and its `result()` throws `concurrent.futures.CancelledError()`.
        @discardableResult
        public func cancel() -> Bool {
            let outcome: (Bool, Notifications?) = state.withLock { s in
                switch s.phase {
                case .running, .finished: return (false, nil)
                case .cancelled: return (true, nil)
                case .pending:
                    s.phase = .cancelled
                    return (true, Self.takeNotifications(&s))
                }
            }
            outcome.1?.deliver(to: self)
            return outcome.0
        }

        // MARK: Getting the result

        /// Waits for the task and returns its value, rethrowing the task's error
        /// (Python: `result(timeout=None)`).
        ///
        /// A wait that blocks is announced to the caller's `Ambient` context (`willBlock`/`didUnblock`).
        ///
        /// - Parameter timeout: seconds to wait; `nil` waits forever.
        /// - Throws: `TimeoutError()` if not done in time (the task keeps running),
        ///   `concurrent.futures.CancelledError()` if cancelled, or whatever the task threw.
        public func result(timeout: TimeInterval? = nil) throws -> T {
            try result(until: Deadline(timeout: timeout))
        }

        /// Waits for the task and returns the error it threw, or `nil` if it succeeded
        /// (Python: `exception(timeout=None)`).
        ///
        /// - Throws: `TimeoutError()` if not done in time, `concurrent.futures.CancelledError()` if cancelled.
        public func exception(timeout: TimeInterval? = nil) throws -> (any Error)? {
            guard waitUntilDone(Deadline(timeout: timeout)) else { throw builtins.TimeoutError() }
            switch state.withLock({ $0.phase }) {
            case .cancelled: throw CancelledError()
            case .finished(.failure(let error)): return error
            default: return nil
            }
        }

        func result(until deadline: Deadline) throws -> T {
            guard waitUntilDone(deadline) else { throw builtins.TimeoutError() }
            switch state.withLock({ $0.phase }) {
            case .cancelled: throw concurrent.futures.CancelledError()
            case .finished(let result): return try result.get()
            case .pending, .running: preconditionFailure("future not done after waiting")
            }
        }

        // MARK: Callbacks

        /// Calls `callback` with this future once it is done (finished or cancelled);
        /// at once, on the calling thread, if it already is (Python: `add_done_callback`).
        ///
        /// Otherwise the callback runs on the thread that completes the future: a worker
        /// thread, or the thread calling `cancel()`. Each callback is called exactly once.
        public func addDoneCallback(_ callback: @escaping @Sendable (concurrent.futures.Future<T>) -> Void) {
            let alreadyDone: Bool = state.withLock { s in
                switch s.phase {
                case .cancelled, .finished: return true
                case .pending, .running:
                    s.callbacks.append(callback)
                    return false
                }
            }
            if alreadyDone { callback(self) }
        }

        // MARK: Completing (executor side)

        /// Marks the future running; returns `false` if it was cancelled (or already
        /// started or finished) and so must not run (Python: `set_running_or_notify_cancel`).
        public func setRunningOrNotifyCancel() -> Bool {
            state.withLock { s in
                guard case .pending = s.phase else { return false }
                s.phase = .running
                return true
            }
        }

        /// Completes the future with a value (Python: `set_result`).
        /// Returns `false`, changing nothing, if it was already done or cancelled.
        @discardableResult
        public func setResult(_ value: T) -> Bool {
            finish(.success(value))
        }

        /// Completes the future with an error (Python: `set_exception`).
        /// Returns `false`, changing nothing, if it was already done or cancelled.
        @discardableResult
        public func setException(_ error: any Error) -> Bool {
            finish(.failure(error))
        }

        func finish(_ result: Result<T, any Error>) -> Bool {
            let notifications: Notifications? = state.withLock { s in
                switch s.phase {
                case .cancelled, .finished: return nil
                case .pending, .running:
                    s.phase = .finished(result)
                    return Self.takeNotifications(&s)
                }
            }
            notifications?.deliver(to: self)
            return notifications != nil
        }

        // MARK: Waiting (internal)

        /// Registers `fire` to run once when the future completes; returns `nil` (and never
        /// calls `fire`) if it is already done, so callers handle that case directly.
        func addWaiter(_ fire: @escaping @Sendable () -> Void) -> UInt64? {
            state.withLock { s in
                switch s.phase {
                case .cancelled, .finished: return nil
                case .pending, .running:
                    let id = s.nextWaiterID
                    s.nextWaiterID += 1
                    s.waiters.append((id, fire))
                    return id
                }
            }
        }

        /// Registered waiters (tests check that abandoned waits leave none behind).
        var waiterCount: Int { state.withLock { $0.waiters.count } }

        /// Drops a waiter that is no longer wanted (a wait timed out), so it cannot pile up.
        func removeWaiter(_ id: UInt64) {
            state.withLock { s in s.waiters.removeAll { $0.id == id } }
        }

        /// Blocks until done or the deadline passes; returns whether the future is done.
        func waitUntilDone(_ deadline: Deadline) -> Bool {
            let semaphore = DispatchSemaphore(value: 0)
            guard let id = addWaiter({ semaphore.signal() }) else { return true }
            if Ambient.blocking({ semaphore.wait(timeout: deadline.time) }) == .success { return true }
            removeWaiter(id)
            return done  // it may have finished between the timeout and the removal
        }

        // MARK: Notification plumbing

        /// Waiters and callbacks taken out under the lock, delivered after it is released.
        private struct Notifications {
            let waiters: [@Sendable () -> Void]
            let callbacks: [@Sendable (concurrent.futures.Future<T>) -> Void]

            func deliver(to future: concurrent.futures.Future<T>) {
                // Like Python: wake waiters first, then run done-callbacks.
                for fire in waiters { fire() }
                for callback in callbacks { callback(future) }
            }
        }

        private static func takeNotifications(_ s: inout State) -> Notifications {
            let taken = Notifications(waiters: s.waiters.map(\.fire), callbacks: s.callbacks)
            s.waiters = []
            s.callbacks = []
            return taken
        }

        // MARK: Hashable by identity

        /// The same future (identity, as Python compares futures).
        public static func == (lhs: concurrent.futures.Future<T>, rhs: concurrent.futures.Future<T>) -> Bool {
            lhs === rhs
        }
        /// Hashes the future's identity.
        public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    }
}

/// The futures in their order, each once: `wait` and `asCompleted` take a collection that
/// Python passes as a set, so a future given twice counts once.
func distinct<T>(_ futures: some Sequence<concurrent.futures.Future<T>>) -> [concurrent.futures.Future<T>] {
    var seen = Set<ObjectIdentifier>()
    return futures.filter { seen.insert(ObjectIdentifier($0)).inserted }
}
