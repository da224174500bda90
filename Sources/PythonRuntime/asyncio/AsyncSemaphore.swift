import Futures

/// `asyncio.Semaphore(n)`: at most `n` coroutines hold it at once; the others wait, in
/// arrival order, without blocking the loop. The small lock guards against a waiter being
/// cancelled from another thread, not against the coroutines, which run one at a time.
public final class AsyncSemaphore: Sendable {
    private struct State {
        var permits: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Locked<State>

    /// `asyncio.Semaphore(value)`: at most `value` holders at once.
    public init(_ value: Int) {
        precondition(value >= 0, "Semaphore initial value must be >= 0")
        state = Locked(State(permits: value))
    }

    /// `async with sem:` runs `body` holding one permit, released however `body` ends.
    public func withPermit<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// `await sem.acquire()`. Throws `CancellationError` (holding nothing) if cancelled while waiting.
    public func acquire() async throws {
        let id: UInt64? = state.withLock { s in
            if s.permits > 0, s.waiters.isEmpty {
                s.permits -= 1
                return nil
            }
            s.nextID += 1
            return s.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { s in
                    if Task.isCancelled { return true }
                    s.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { s in
                s.waiters.firstIndex { $0.id == id }.map { s.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// `sem.release()`: hands the permit to the longest waiter, if any.
    public func release() {
        let next = state.withLock { s in
            if s.waiters.isEmpty {
                s.permits += 1
                return nil as CheckedContinuation<Void, any Error>?
            }
            return s.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
