import Foundation
import Futures
import Synchronization

extension threading {
    /// Python's `threading.Lock`: not owned by a thread, so any thread may release it (unlike a
    /// pthread mutex). A thread that has to wait for it releases its GIL meanwhile, as CPython's
    /// `Lock.acquire` does, so the holder can run on and release it. `withLock` is `with lock:`.
    ///
    /// An uncontended `acquire`/`release` is one atomic compare-and-swap and one store, as
    /// CPython's is one futex-free semaphore operation (the lock cell of 02-threads takes it
    /// 400,000 times; bench/HISTORY.md). Only a thread that finds the lock taken goes through the `Monitor`, and `release`
    /// wakes waiters only when some thread is on that path.
    public final class Lock: Sendable {
        /// 0: free, 1: taken.
        private let state = Atomic<Int>(0)
        /// Threads on the blocking path; counted before they look at `state` there, so a
        /// release that sees none cannot miss one (both sides use sequentially consistent order).
        private let blocked = Atomic<Int>(0)
        /// Where threads that found the lock taken sleep. Its state counts the wake-ups (a state
        /// of zero size made ThreadSanitizer report accesses that the mutex does order).
        private let sleepers = Monitor(0, waitKind: .lock)

        /// `threading.Lock()`: unlocked.
        public init() {}

        /// `Lock.acquire(blocking=True, timeout=-1)`: true once acquired; false if `blocking` is
        /// false and the lock is taken, or if `timeout` seconds (-1: no limit) pass first.
        /// CPython's `ValueError`s for a timeout with `blocking=False` or a negative timeout
        /// other than -1 stop the port, which has a bug.
        @discardableResult
        public func acquire(blocking: Bool = true, timeout: Double = -1) -> Bool {
            let limit = waitLimit(blocking: blocking, timeout: timeout)
            if tryTake() { return true }
            if limit == 0 { return false }
            let deadline = limit.map { Date(timeIntervalSinceNow: $0) }
            blocked.add(1, ordering: .sequentiallyConsistent)
            defer { blocked.subtract(1, ordering: .sequentiallyConsistent) }
            while true {
                let remaining = deadline.map { $0.timeIntervalSinceNow }
                let took = sleepers.wait(timeout: remaining, until: { _ in isFree }) { _, free in free && tryTake() }
                if took { return true }
                if let deadline, deadline.timeIntervalSinceNow <= 0 { return false }
                // Freed and taken again by a thread on the fast path before this one woke: wait on.
            }
        }

        /// `Lock.release()`; throws `RuntimeError: release unlocked lock` if it is not locked.
        public func release() throws {
            guard state.compareExchange(expected: 1, desired: 0, ordering: .sequentiallyConsistent).exchanged else {
                throw builtins.RuntimeError("release unlocked lock")
            }
            wakeWaiters()
        }

        /// `Lock.locked()`.
        public var locked: Bool { !isFree }

        /// `with lock:`: runs `body` holding the lock, and releases it however `body` ends.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer { releaseAfterWith() }
            return try body()
        }

        private var isFree: Bool { state.load(ordering: .sequentiallyConsistent) == 0 }

        private func tryTake() -> Bool {
            state.compareExchange(expected: 0, desired: 1, ordering: .sequentiallyConsistent).exchanged
        }

        private func wakeWaiters() {
            if blocked.load(ordering: .sequentiallyConsistent) > 0 {
                sleepers.withLock { $0 &+= 1 }  // wakes every thread blocked in `sleepers` to look again
            }
        }

        private func releaseAfterWith() {
            let released = state.compareExchange(expected: 1, desired: 0, ordering: .sequentiallyConsistent).exchanged
            precondition(released, "RuntimeError: release unlocked lock (the body of `with lock:` released it)")
            wakeWaiters()
        }
    }
}

/// The `Monitor` timeout for CPython's `acquire(blocking, timeout)` pair: nil waits forever,
/// 0 only tries. The argument checks are CPython's (`_thread` lock_acquire_parse_args).
func waitLimit(blocking: Bool, timeout: Double) -> Double? {
    if !blocking {
        precondition(timeout == -1, "ValueError: can't specify a timeout for a non-blocking call")
        return 0
    }
    if timeout == -1 { return nil }
    precondition(timeout >= 0, "ValueError: timeout value must be positive")
    return timeout
}
