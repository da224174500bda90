import Futures

extension asyncio {
    /// `asyncio.Lock()`: held by one coroutine at a time; waiters get it in arrival order.
    /// Not owned: any coroutine may release it. Bound to the first loop it makes wait.
    public final class Lock: Sendable {
        struct State {
            var isLocked = false
            var waiters: [asyncio.Future<Bool>] = []
            var binding = LoopBinding()
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        let state = LoopBound(State())

        /// `asyncio.Lock()`, unlocked.
        public init() {}

        /// `lock.locked()`.
        public var locked: Bool { state.value.isLocked }

        /// `async with lock:` runs `body` holding the lock, released however `body` ends.
        public func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
            try await acquire()
            defer { try? release() }
            return try await body()
        }

        /// `await lock.acquire()`. Throws `asyncio.CancelledError` (not holding it) if cancelled while waiting.
        public func acquire() async throws {
            if !state.value.isLocked, state.value.waiters.allSatisfy(\.cancelled) {
                state.value.isLocked = true
                return
            }
            let future = asyncio.Future<Bool>(loop: try state.value.binding.loop(for: self, "Lock"), waitKind: .lock)
            state.value.waiters.append(future)
            do {
                defer { state.value.waiters.removeAll { $0 === future } }
                _ = try await future.value
            } catch let error as asyncio.CancelledError {
                if !state.value.isLocked { wakeUpFirst() }
                throw error
            }
            state.value.isLocked = true
        }

        /// `lock.release()`: unlocks it and wakes the first waiter.
        /// - Throws: `RuntimeError('Lock is not acquired.')` if it is not locked.
        public func release() throws {
            guard state.value.isLocked else { throw builtins.RuntimeError("Lock is not acquired.") }
            state.value.isLocked = false
            wakeUpFirst()
        }

        private func wakeUpFirst() {
            guard let first = state.value.waiters.first, !first.done else { return }
            try? first.setResult(true)
        }
    }
}

extension asyncio {
    /// `asyncio.Event()`: a flag coroutines wait for; `set()` wakes every waiter.
    public final class Event: Sendable {
        struct State {
            var flag = false
            var waiters: [asyncio.Future<Bool>] = []
            var binding = LoopBinding()
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        let state = LoopBound(State())

        /// `asyncio.Event()`, not set.
        public init() {}

        /// `event.is_set()`.
        public var isSet: Bool { state.value.flag }

        /// `event.set()`: sets the flag and wakes every waiter, in the order they came.
        public func set() {
            guard !state.value.flag else { return }
            state.value.flag = true
            for waiter in state.value.waiters where !waiter.done { try? waiter.setResult(true) }
        }

        /// `event.clear()`.
        public func clear() { state.value.flag = false }

        /// `await event.wait()`: returns at once if the flag is set, else when it is.
        public func wait() async throws {
            if state.value.flag { return }
            let future = asyncio.Future<Bool>(loop: try state.value.binding.loop(for: self, "Event"), waitKind: .event)
            state.value.waiters.append(future)
            defer { state.value.waiters.removeAll { $0 === future } }
            _ = try await future.value
        }
    }
}

extension asyncio {
    /// `asyncio.Condition(lock=None)`: waiters release the lock while they wait for `notify`,
    /// and hold it again when `wait` returns.
    public final class Condition: Sendable {
        /// The underlying lock (`acquire`, `release` and `locked` are its).
        public let lock: asyncio.Lock
        struct State {
            var waiters: [asyncio.Future<Bool>] = []
            var binding = LoopBinding()
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        let state = LoopBound(State())

        /// `asyncio.Condition(lock=None)`: a new `asyncio.Lock` unless one is given.
        public init(_ lock: asyncio.Lock = asyncio.Lock()) {
            self.lock = lock
        }

        /// `cond.locked()`.
        public var locked: Bool { lock.locked }
        /// `await cond.acquire()`.
        public func acquire() async throws { try await lock.acquire() }
        /// `cond.release()`.
        public func release() throws { try lock.release() }

        /// `async with cond:`.
        public func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
            try await lock.withLock(body)
        }

        /// `await cond.wait()`: releases the lock, waits for a `notify`, and takes the lock
        /// again before returning (or before throwing `asyncio.CancelledError`).
        /// - Throws: `RuntimeError('cannot wait on un-acquired lock')` without the lock.
        public func wait() async throws {
            guard locked else { throw builtins.RuntimeError("cannot wait on un-acquired lock") }
            try release()
            var failure: (any Error)?
            do {
                let future = asyncio.Future<Bool>(
                    loop: try state.value.binding.loop(for: self, "Condition"), waitKind: .condition)
                state.value.waiters.append(future)
                defer { state.value.waiters.removeAll { $0 === future } }
                _ = try await future.value
            } catch {
                failure = error
            }
            var cancelled = false
            while true {
                do {
                    try await acquire()
                    break
                } catch is asyncio.CancelledError {
                    cancelled = true
                }
            }
            if cancelled { throw asyncio.CancelledError() }  // raised in `finally`, it wins
            if let failure { throw failure }
        }

        /// `await cond.wait_for(predicate)`: waits until `predicate()` holds; returns its value.
        @discardableResult
        public func waitFor(_ predicate: () -> Bool) async throws -> Bool {
            while !predicate() { try await wait() }
            return true
        }

        /// `cond.notify(n=1)`: wakes up to `n` waiters, in the order they came.
        /// - Throws: `RuntimeError('cannot notify on un-acquired lock')` without the lock.
        public func notify(_ n: Int = 1) throws {
            guard locked else { throw builtins.RuntimeError("cannot notify on un-acquired lock") }
            var woken = 0
            for waiter in state.value.waiters where woken < n && !waiter.done {
                woken += 1
                try? waiter.setResult(false)
            }
        }

        /// `cond.notify_all()`.
        public func notifyAll() throws { try notify(state.value.waiters.count) }
    }
}
