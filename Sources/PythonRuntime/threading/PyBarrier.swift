import Futures

extension threading {
    /// Python's `threading.Barrier(parties, action=None, timeout=None)`: `wait` blocks (with
    /// the GIL released) until `parties` threads are waiting, then all go on; each gets its
    /// arrival index. The last to arrive runs `action` first. A timeout, `abort()`, a failing
    /// action or a `reset()` under waiters breaks it: waits then throw `BrokenBarrierError`.
    /// CPython's algorithm, step for step, on a `Condition(Lock())`.
    public final class Barrier: Sendable {
        private enum Phase: Sendable {
            case filling, draining, resetting, broken
        }

        private struct State: Sendable {
            var phase = Phase.filling
            var count = 0
        }

        private let condition = threading.Condition(threading.Lock())
        /// Only touched holding `condition`'s lock (a `Locked` too, so that Swift sees it is safe).
        private let state = Locked(State())
        private let action: (@Sendable () throws -> Void)?
        private let defaultTimeout: Double?

        /// `Barrier.parties`.
        public let parties: Int

        /// `threading.Barrier(parties, action=None, timeout=None)`: `action` runs in one of the
        /// threads released, `timeout` is the default of `wait`.
        public init(_ parties: Int, action: (@Sendable () throws -> Void)? = nil, timeout: Double? = nil) {
            self.parties = parties
            self.action = action
            defaultTimeout = timeout
        }

        /// `Barrier.wait(timeout=None)`: the arrival index, 0 to `parties - 1`. `timeout` (else
        /// the barrier's) limits the wait; when it passes the barrier breaks. Throws
        /// `BrokenBarrierError`, or what `action` threw (then the barrier is broken too).
        @discardableResult
        public func wait(timeout: Double? = nil) throws -> Int {
            let timeout = timeout ?? defaultTimeout
            return try withWaitKind(.barrier) { try waitNamed(timeout: timeout) }
        }

        private func waitNamed(timeout: Double?) throws -> Int {
            try condition.withLock {
                try enter()
                let index = state.withLock { s in
                    s.count += 1
                    return s.count - 1
                }
                defer {
                    state.withLock { $0.count -= 1 }
                    exit()
                }
                if index + 1 == parties {
                    try release()
                } else {
                    try waitForRelease(timeout: timeout)
                }
                return index
            }
        }

        /// `Barrier.reset()`: back to empty; threads waiting get `BrokenBarrierError`.
        public func reset() {
            condition.withLock {
                state.withLock { s in
                    if s.count > 0 {
                        if s.phase == .filling || s.phase == .broken { s.phase = .resetting }
                    } else {
                        s.phase = .filling
                    }
                }
                condition.notifyAllOwned()
            }
        }

        /// `Barrier.abort()`: breaks it; waiting and later waits throw `BrokenBarrierError`.
        public func abort() {
            condition.withLock { breakBarrier() }
        }

        /// `Barrier.n_waiting`.
        public var nWaiting: Int {
            state.withLock { $0.phase == .filling ? $0.count : 0 }
        }

        /// `Barrier.broken`.
        public var broken: Bool {
            state.withLock { $0.phase == .broken }
        }

        // MARK: CPython's helpers, all called holding the condition's lock

        /// `_enter`: waits while the previous cycle drains or resets.
        private func enter() throws {
            while [.draining, .resetting].contains(state.withLock({ $0.phase })) {
                condition.waitOwned()
            }
            if state.withLock({ $0.phase }) == .broken { throw threading.BrokenBarrierError() }
        }

        /// `_release`: the last arrival runs the action and lets everyone go.
        private func release() throws {
            do {
                try action?()
                state.withLock { $0.phase = .draining }
                condition.notifyAllOwned()
            } catch {
                breakBarrier()
                throw error
            }
        }

        /// `_wait`: waits for the last arrival; a timeout breaks the barrier.
        private func waitForRelease(timeout: Double?) throws {
            let released = condition.waitForOwned(timeout: timeout) { state.withLock { $0.phase != .filling } }
            if !released {
                breakBarrier()
                throw threading.BrokenBarrierError()
            }
            if [.broken, .resetting].contains(state.withLock({ $0.phase })) { throw threading.BrokenBarrierError() }
        }

        /// `_exit`: the last thread out ends a drain or a reset.
        private func exit() {
            let reopened = state.withLock { s in
                guard s.count == 0, s.phase == .draining || s.phase == .resetting else { return false }
                s.phase = .filling
                return true
            }
            if reopened { condition.notifyAllOwned() }
        }

        /// `_break`.
        private func breakBarrier() {
            state.withLock { $0.phase = .broken }
            condition.notifyAllOwned()
        }
    }
}
