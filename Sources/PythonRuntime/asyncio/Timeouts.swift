extension asyncio {
    /// `await asyncio.wait_for(coro, timeout)` as in 3.11: runs the coroutine as a task and
    /// returns its result; once `timeout` seconds pass, the task is cancelled and waited
    /// for, and `TimeoutError` thrown, unless the task swallowed the cancellation and
    /// returned a value, which is then returned. Cancelling the caller cancels the task.
    /// `timeout: nil` waits for as long as it takes.
    public static func waitFor<T: Sendable>(_ timeout: Double?, _ coroutine: @escaping Coroutine<T>) async throws -> T {
        let loop = getRunningLoop()
        let inner = asyncio.Task(loop: loop, coroutine)
        guard let timeout else { return try await inner.value }
        if timeout <= 0 {
            if inner.done { return try inner.result() }
            try await cancelAndWait(inner)
            return try timedOutResult(of: inner)
        }
        let waiter = asyncio.Future<Void>(loop: loop)
        let release = { if !waiter.done { try? waiter.setResult(()) } }
        let timer = loop.callLater(timeout, release)
        defer { timer.cancel() }
        let callback = inner.addDoneCallback { _ in release() }
        do {
            try await waiter.value
        } catch let cancelled as asyncio.CancelledError {
            if inner.done { return try inner.result() }
            inner.removeDoneCallback(callback)
            try await cancelAndWait(inner)
            throw cancelled
        }
        if inner.done { return try inner.result() }
        inner.removeDoneCallback(callback)
        try await cancelAndWait(inner)
        return try timedOutResult(of: inner)
    }

    /// The result of a task cancelled on timeout: its value if it swallowed the
    /// cancellation, its error if it failed otherwise, else `TimeoutError`.
    private static func timedOutResult<T: Sendable>(of task: asyncio.Task<T>) throws -> T {
        do { return try task.result() } catch is asyncio.CancelledError { throw builtins.TimeoutError() }
    }

    /// `_cancel_and_wait(fut)`: cancels it and waits until it is really done.
    private static func cancelAndWait(_ future: asyncio.AnyFuture) async throws {
        let waiter = asyncio.Future<Void>(loop: future.loop)
        let callback = future.addDoneCallback { _ in if !waiter.done { try? waiter.setResult(()) } }
        defer { future.removeDoneCallback(callback) }
        future.cancel()
        try await waiter.value
    }

    /// `async with asyncio.timeout(delay):` (3.11): runs `body` in the calling task; once
    /// `delay` seconds pass, the task is cancelled, and the `asyncio.CancelledError` that ends
    /// `body` is turned into `TimeoutError` here. `delay: nil` never times out.
    public static func timeout<R: Sendable>(_ delay: Double?, _ body: () async throws -> R) async throws -> R {
        try await timeoutAt(delay.map { getRunningLoop().time() + $0 }, body)
    }

    /// `async with asyncio.timeout_at(when):`, `when` on `loop.time()`'s clock.
    public static func timeoutAt<R: Sendable>(_ when: Double?, _ body: () async throws -> R) async throws -> R {
        let task = asyncio.AnyTask.running
        let cancellingBefore = task.cancelling()
        var expiring = false
        var timer: LoopTimer?
        if let when {
            let onTimeout = {
                task.cancel()
                expiring = true
            }
            timer = when <= task.loop.time() ? task.loop.callLater(0, onTimeout) : task.loop.callAt(when, onTimeout)
        }
        let result: R
        do {
            result = try await body()
        } catch {
            timer?.cancel()
            if expiring, task.uncancel() <= cancellingBefore, error is asyncio.CancelledError {
                throw builtins.TimeoutError()
            }
            throw error
        }
        timer?.cancel()
        if expiring { task.uncancel() }
        return result
    }
}
