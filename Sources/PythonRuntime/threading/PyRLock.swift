import Futures

extension threading {
    /// Python's `threading.RLock`: a lock its owner may acquire again; it is free once released
    /// as many times. Only the owner may release it. A thread that has to wait for it releases
    /// its GIL meanwhile. (Python 3.11's `RLock` has no `locked()`, so neither has this.)
    public final class RLock: Sendable {
        struct State: Sendable {
            /// `get_ident()` of the owner, as CPython's `_thread.RLock` keeps it.
            var owner: Int?
            var count = 0
        }

        let state = Monitor(State(), waitKind: .lock)

        /// `threading.RLock()`: unlocked.
        public init() {}

        /// `RLock.acquire(blocking=True, timeout=-1)`: true at once for the owner (one level
        /// more); otherwise as `Lock.acquire`, with the same argument checks.
        @discardableResult
        public func acquire(blocking: Bool = true, timeout: Double = -1) -> Bool {
            let me = threading.getIdent()
            return state.wait(
                timeout: waitLimit(blocking: blocking, timeout: timeout), until: { ($0.owner ?? me) == me }
            ) {
                s, free in
                guard free else { return false }
                s.owner = me
                s.count += 1
                return true
            }
        }

        /// `RLock.release()`: one level less; throws `RuntimeError: cannot release un-acquired
        /// lock` unless the calling thread owns it.
        public func release() throws {
            let me = threading.getIdent()
            try state.withLock { s in
                guard s.owner == me else { throw builtins.RuntimeError.unacquiredRelease }
                s.count -= 1
                if s.count == 0 { s.owner = nil }
            }
        }

        /// `with rlock:`.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer {
                do { try release() } catch { preconditionFailure("RuntimeError: \(error) (inside `with rlock:`)") }
            }
            return try body()
        }

        /// CPython's `RLock._is_owned()`: whether the calling thread owns it.
        var isOwned: Bool {
            let me = threading.getIdent()
            return state.withLock { $0.owner == me }
        }

        /// CPython's `_release_save()`, for `Condition.wait`: releases every level, returns how many.
        func releaseAll() -> Int {
            state.withLock { s in
                let count = s.count
                s.owner = nil
                s.count = 0
                return count
            }
        }

        /// CPython's `_acquire_restore()`: takes it back with the levels `releaseAll` gave up.
        func acquireRestoring(_ count: Int) {
            let me = threading.getIdent()
            state.wait(timeout: nil, until: { $0.owner == nil }) { s, _ in
                s.owner = me
                s.count = count
            }
        }
    }
}

extension builtins.RuntimeError {
    /// What CPython's `RLock.release()` and `Condition` raise for a lock the thread does not hold.
    static let unacquiredRelease = builtins.RuntimeError("cannot release un-acquired lock")
}
