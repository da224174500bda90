import Foundation
import Futures

extension threading {
    /// Python's `threading.Semaphore(value=1)`: a counter that `acquire` takes one from,
    /// waiting (with the GIL released) while it is zero. Built as CPython builds it, on a
    /// `Condition(Lock())`, so `release` wakes waiters in the order they came.
    public final class Semaphore: Sendable {
        fileprivate let condition = threading.Condition(threading.Lock())
        /// Only touched holding `condition`'s lock (a `Locked` too, so that Swift sees it is safe).
        let value: Locked<Int>

        /// `Semaphore(value)`; a negative value is CPython's `ValueError` and stops the port.
        public init(_ value: Int = 1) {
            precondition(value >= 0, "ValueError: semaphore initial value must be >= 0")
            self.value = Locked(value)
        }

        /// `Semaphore.acquire(blocking=True, timeout=None)`: true once it took one; false if
        /// `blocking` is false and the counter is zero, or if `timeout` seconds pass first.
        @discardableResult
        public func acquire(blocking: Bool = true, timeout: Double? = nil) -> Bool {
            precondition(blocking || timeout == nil, "ValueError: can't specify timeout for non-blocking acquire")
            return withWaitKind(.semaphore) { acquireNamed(blocking: blocking, timeout: timeout) }
        }

        private func acquireNamed(blocking: Bool, timeout: Double?) -> Bool {
            condition.withLock {
                var remaining = timeout
                var endTime: Double?
                while value.withLock({ $0 }) == 0 {
                    guard blocking else { return false }
                    if let timeout {
                        if let endTime {
                            remaining = endTime - time.perfCounter()
                            if (remaining ?? 0) <= 0 { return false }
                        } else {
                            endTime = time.perfCounter() + timeout
                        }
                    }
                    condition.waitOwned(timeout: remaining)
                }
                value.withLock { $0 -= 1 }
                return true
            }
        }

        /// `Semaphore.release(n=1)`: adds `n` and wakes as many waiters. `n` below one is
        /// CPython's `ValueError` and stops the port.
        public func release(_ n: Int = 1) {
            precondition(n >= 1, "ValueError: n must be one or more")
            condition.withLock {
                value.withLock { $0 += n }
                condition.notifyOwned(n)
            }
        }

        /// `with semaphore:`.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer { release() }
            return try body()
        }
    }
}

extension threading {
    /// Python's `threading.BoundedSemaphore(value=1)`: a `Semaphore` whose `release` throws
    /// `ValueError: Semaphore released too many times` past its initial value.
    public final class BoundedSemaphore: Sendable {
        let semaphore: threading.Semaphore
        let initialValue: Int

        /// `threading.BoundedSemaphore(value=1)`.
        public init(_ value: Int = 1) {
            semaphore = threading.Semaphore(value)
            initialValue = value
        }

        /// `BoundedSemaphore.acquire(blocking=True, timeout=None)`.
        @discardableResult
        public func acquire(blocking: Bool = true, timeout: Double? = nil) -> Bool {
            semaphore.acquire(blocking: blocking, timeout: timeout)
        }

        /// `BoundedSemaphore.release(n=1)`.
        public func release(_ n: Int = 1) throws {
            precondition(n >= 1, "ValueError: n must be one or more")
            let (condition, value, initialValue) = (semaphore.condition, semaphore.value, initialValue)
            try condition.withLock {
                try value.withLock { current in
                    guard current + n <= initialValue else {
                        throw builtins.ValueError("Semaphore released too many times")
                    }
                    current += n
                }
                condition.notifyOwned(n)
            }
        }

        /// `with semaphore:`.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer {
                do { try release() } catch { preconditionFailure("ValueError: \(error) (inside `with semaphore:`)") }
            }
            return try body()
        }
    }
}
