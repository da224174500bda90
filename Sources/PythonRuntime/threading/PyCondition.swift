import Foundation
import Futures

extension threading {
    /// Python's `threading.Condition(lock=None)`: threads wait (holding its lock) until another
    /// notifies them. As in CPython, every waiter blocks on a `Lock` of its own, queued in
    /// arrival order, and `notify(n)` wakes the `n` longest waiting: wake-ups are FIFO. Waiting
    /// releases the lock and the GIL; the woken thread then waits to take the lock back.
    public final class Condition: Sendable {
        /// The lock it is built on: CPython's default is an `RLock`.
        enum Underlying: Sendable {
            case lock(threading.Lock)
            case rlock(threading.RLock)
        }

        let underlying: Underlying
        /// CPython's `_waiters` deque; only touched by threads holding the condition's lock, but
        /// kept under a lock of its own as well so that Swift can see it is safe.
        let waiters = Locked<[threading.Lock]>([])

        /// `Condition()`: on a new `RLock`.
        public convenience init() {
            self.init(threading.RLock())
        }

        /// `Condition(lock)` on a `Lock`.
        public init(_ lock: threading.Lock) {
            underlying = .lock(lock)
        }

        /// `Condition(rlock)` on an `RLock`.
        public init(_ lock: threading.RLock) {
            underlying = .rlock(lock)
        }

        /// `Condition.acquire(blocking=True, timeout=-1)`: acquires the underlying lock.
        @discardableResult
        public func acquire(blocking: Bool = true, timeout: Double = -1) -> Bool {
            switch underlying {
            case .lock(let lock): lock.acquire(blocking: blocking, timeout: timeout)
            case .rlock(let lock): lock.acquire(blocking: blocking, timeout: timeout)
            }
        }

        /// `Condition.release()`: releases the underlying lock (and throws as it does).
        public func release() throws {
            switch underlying {
            case .lock(let lock): try lock.release()
            case .rlock(let lock): try lock.release()
            }
        }

        /// `with condition:`.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer {
                do { try release() } catch { preconditionFailure("RuntimeError: \(error) (inside `with condition:`)") }
            }
            return try body()
        }

        /// `Condition.wait(timeout=None)`: releases the lock, waits until notified or `timeout`
        /// seconds pass, takes the lock back; true unless the time ran out. Throws `RuntimeError:
        /// cannot wait on un-acquired lock` unless the calling thread holds the lock.
        @discardableResult
        public func wait(timeout: Double? = nil) throws -> Bool {
            guard isOwned else { throw builtins.RuntimeError("cannot wait on un-acquired lock") }
            return waitOwned(timeout: timeout)
        }

        /// `wait` for a caller known to hold the lock (the look-alikes built on a condition).
        @discardableResult
        func waitOwned(timeout: Double? = nil) -> Bool {
            withWaitKind(.condition) { waitNamed(timeout: timeout) }
        }

        private func waitNamed(timeout: Double?) -> Bool {
            let waiter = threading.Lock()
            waiter.acquire()
            waiters.withLock { $0.append(waiter) }
            let saved = releaseAll()
            defer { acquireRestoring(saved) }
            // CPython: a positive timeout waits, any other only looks.
            let notified =
                if let timeout { waiter.acquire(blocking: true, timeout: timeout > 0 ? timeout : 0) } else {
                    waiter.acquire()
                }
            if !notified {
                waiters.withLock { queue in queue.removeAll { $0 === waiter } }
            }
            return notified
        }

        /// `Condition.wait_for(predicate, timeout=None)`: waits until `predicate()` (called
        /// holding the lock) is true, or `timeout` seconds pass in all; returns its last value.
        public func waitFor(timeout: Double? = nil, _ predicate: () throws -> Bool) throws -> Bool {
            try waitLoop(timeout: timeout, predicate) { try wait(timeout: $0) }
        }

        /// `waitFor` for a caller known to hold the lock.
        func waitForOwned(timeout: Double? = nil, _ predicate: () -> Bool) -> Bool {
            waitLoop(timeout: timeout, predicate) { waitOwned(timeout: $0) }
        }

        /// CPython's `wait_for` loop: one deadline for all the waits.
        private func waitLoop(
            timeout: Double?, _ predicate: () throws -> Bool, wait: (Double?) throws -> Void
        ) rethrows -> Bool {
            var endTime: Double?
            var waitTime = timeout
            var result = try predicate()
            while !result {
                if let remaining = waitTime {
                    if let endTime {
                        waitTime = endTime - time.perfCounter()
                        if (waitTime ?? 0) <= 0 { break }
                    } else {
                        endTime = time.perfCounter() + remaining
                    }
                }
                try wait(waitTime)
                result = try predicate()
            }
            return result
        }

        /// `Condition.notify(n=1)`: wakes the `n` threads that have waited longest. Throws
        /// `RuntimeError: cannot notify on un-acquired lock` unless the caller holds the lock.
        public func notify(_ n: Int = 1) throws {
            guard isOwned else { throw builtins.RuntimeError("cannot notify on un-acquired lock") }
            notifyOwned(n)
        }

        /// `notify` for a caller known to hold the lock.
        func notifyOwned(_ n: Int = 1) {
            let woken = waiters.withLock { queue in
                let first = Array(queue.prefix(max(0, n)))
                queue.removeFirst(first.count)
                return first
            }
            for waiter in woken { try? waiter.release() }
        }

        /// `Condition.notify_all()`.
        public func notifyAll() throws {
            try notify(waiters.withLock { $0.count })
        }

        /// `notifyAll` for a caller known to hold the lock.
        func notifyAllOwned() {
            notifyOwned(waiters.withLock { $0.count })
        }

        // MARK: CPython's `_is_owned`, `_release_save`, `_acquire_restore`

        private var isOwned: Bool {
            switch underlying {
            case .lock(let lock):
                // CPython's guess for a plain Lock: owned if it cannot be taken right now.
                if lock.acquire(blocking: false) {
                    try? lock.release()
                    return false
                }
                return true
            case .rlock(let lock): return lock.isOwned
            }
        }

        private func releaseAll() -> Int {
            switch underlying {
            case .lock(let lock):
                try? lock.release()
                return 1
            case .rlock(let lock): return lock.releaseAll()
            }
        }

        private func acquireRestoring(_ saved: Int) {
            switch underlying {
            case .lock(let lock): lock.acquire()
            case .rlock(let lock): lock.acquireRestoring(saved)
            }
        }
    }
}
