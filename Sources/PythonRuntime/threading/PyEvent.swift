import Foundation

extension threading {
    /// Python's `threading.Event`: a flag threads wait for. `wait` releases the GIL while it
    /// blocks.
    public final class Event: Sendable {
        private struct State: Sendable {
            var flag = false
            /// Counts `set()` calls, so a waiter woken by one returns true even if the flag was
            /// cleared again before it ran (CPython's waiters are notified, not polling the flag).
            var sets = 0
        }

        private let state = Monitor(State(), waitKind: .event)

        /// `threading.Event()`: not set.
        public init() {}

        /// `Event.is_set()`.
        public var isSet: Bool { state.withLock { $0.flag } }

        /// `Event.set()`: sets the flag and wakes every waiter.
        public func set() {
            state.withLock { s in
                s.flag = true
                s.sets += 1
            }
        }

        /// `Event.clear()`.
        public func clear() {
            state.withLock { $0.flag = false }
        }

        /// `Event.wait(timeout=None)`: true once the flag is set, false if `timeout` seconds
        /// pass first (a timeout of zero or less only looks).
        @discardableResult
        public func wait(timeout: Double? = nil) -> Bool {
            let setsBefore = state.withLock { $0.sets }
            return state.wait(timeout: timeout, until: { $0.flag || $0.sets != setsBefore }) { s, _ in
                s.flag || s.sets != setsBefore
            }
        }
    }
}
