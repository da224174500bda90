import Futures

/// `asyncio.Lock()`: held by one coroutine at a time; waiters get it in arrival order.
/// Not owned: any coroutine may release it. Bound to the first loop it makes wait.
public final class AsyncLock: @unchecked Sendable {
    // @unchecked: only touched on the owning loop's thread.
    private var isLocked = false
    var waiters: [asyncio.Future<Bool>] = []
    private var binding = LoopBinding()

    /// `asyncio.Lock()`, unlocked.
    public init() {}

    /// `lock.locked()`.
    public var locked: Bool { isLocked }

    /// `async with lock:` runs `body` holding the lock, released however `body` ends.
    public func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await acquire()
        defer { try? release() }
        return try await body()
    }

    /// `await lock.acquire()`. Throws `asyncio.CancelledError` (not holding it) if cancelled while waiting.
    public func acquire() async throws {
        if !isLocked, waiters.allSatisfy(\.cancelled) {
            isLocked = true
            return
        }
        let future = asyncio.Future<Bool>(loop: try binding.loop(for: self, "Lock"), waitKind: .lock)
        waiters.append(future)
        do {
            defer { waiters.removeAll { $0 === future } }
            _ = try await future.value
        } catch let error as asyncio.CancelledError {
            if !isLocked { wakeUpFirst() }
            throw error
        }
        isLocked = true
    }

    /// `lock.release()`: unlocks it and wakes the first waiter.
    /// - Throws: `RuntimeError('Lock is not acquired.')` if it is not locked.
    public func release() throws {
        guard isLocked else { throw PythonError("RuntimeError", "Lock is not acquired.") }
        isLocked = false
        wakeUpFirst()
    }

    private func wakeUpFirst() {
        guard let first = waiters.first, !first.done else { return }
        try? first.setResult(true)
    }
}

/// `asyncio.Event()`: a flag coroutines wait for; `set()` wakes every waiter.
public final class AsyncEvent: @unchecked Sendable {
    // @unchecked: only touched on the owning loop's thread.
    private var flag = false
    var waiters: [asyncio.Future<Bool>] = []
    private var binding = LoopBinding()

    /// `asyncio.Event()`, not set.
    public init() {}

    /// `event.is_set()`.
    public var isSet: Bool { flag }

    /// `event.set()`: sets the flag and wakes every waiter, in the order they came.
    public func set() {
        guard !flag else { return }
        flag = true
        for waiter in waiters where !waiter.done { try? waiter.setResult(true) }
    }

    /// `event.clear()`.
    public func clear() { flag = false }

    /// `await event.wait()`: returns at once if the flag is set, else when it is.
    public func wait() async throws {
        if flag { return }
        let future = asyncio.Future<Bool>(loop: try binding.loop(for: self, "Event"), waitKind: .event)
        waiters.append(future)
        defer { waiters.removeAll { $0 === future } }
        _ = try await future.value
    }
}

/// `asyncio.Condition(lock=None)`: waiters release the lock while they wait for `notify`,
/// and hold it again when `wait` returns.
public final class AsyncCondition: @unchecked Sendable {
    // @unchecked: only touched on the owning loop's thread.
    /// The underlying lock (`acquire`, `release` and `locked` are its).
    public let lock: asyncio.Lock
    var waiters: [asyncio.Future<Bool>] = []
    private var binding = LoopBinding()

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
        guard locked else { throw PythonError("RuntimeError", "cannot wait on un-acquired lock") }
        try release()
        var failure: (any Error)?
        do {
            let future = asyncio.Future<Bool>(loop: try binding.loop(for: self, "Condition"), waitKind: .condition)
            waiters.append(future)
            defer { waiters.removeAll { $0 === future } }
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
        guard locked else { throw PythonError("RuntimeError", "cannot notify on un-acquired lock") }
        var woken = 0
        for waiter in waiters where woken < n && !waiter.done {
            woken += 1
            try? waiter.setResult(false)
        }
    }

    /// `cond.notify_all()`.
    public func notifyAll() throws { try notify(waiters.count) }
}
