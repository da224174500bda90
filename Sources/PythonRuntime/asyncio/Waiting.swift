import Futures

extension asyncio {
    /// `asyncio.FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`: when `wait` returns.
    public enum ReturnWhen: Sendable {
        /// As soon as any future is done.
        case firstCompleted
        /// As soon as any future fails (a cancelled one does not count), else when all are done.
        case firstException
        /// When every future is done.
        case allCompleted
    }

    /// `await asyncio.gather(*coros, return_exceptions=True)`: runs each coroutine as a task
    /// (started in argument order) and, once all are done, returns each outcome in argument
    /// order: its value, or the error it raised (a cancelled child's is `asyncio.CancelledError('')`,
    /// whatever message cancelled it, as in 3.11). Cancelling the caller cancels every child; the caller
    /// then gets `asyncio.CancelledError` once they are all done. With `returnExceptions: false`
    /// this is plain `gather`: the first error is thrown at once.
    public static func gather<T: Sendable>(
        _ coroutines: [Coroutine<T>], returnExceptions: Bool
    ) async throws -> [Result<T, any Error>] {
        let loop = asyncio.getRunningLoop()
        let children = coroutines.map { asyncio.Task(loop: loop, $0) }
        let outer = OutcomeGatheringFuture<[Result<T, any Error>]>(loop: loop, children: children)
        if children.isEmpty { try outer.setResult([]) }
        var finished = 0
        for child in children {
            // gather's `_done_callback`, as 3.11 has it.
            child.addDoneCallback { _ in
                finished += 1
                if outer.done {
                    if !child.cancelled { _ = child.takeFailure() }  // marks it retrieved
                    return
                }
                if !returnExceptions, let failure = child.takeFailure() {
                    try? outer.setException(failure)
                    return
                }
                guard finished == children.count else { return }
                // A cancelled task's own `_cancel_message` is None in 3.11 (its step cancels it
                // without the message), so gather puts `asyncio.CancelledError('')` in its place.
                let outcomes = children.map { task -> Result<T, any Error> in
                    task.cancelled ? .failure(asyncio.CancelledError("")) : Result { try task.result() }
                }
                if outer.cancelRequested {
                    try? outer.setException(asyncio.CancelledError())
                } else {
                    try? outer.setResult(outcomes)
                }
            }
        }
        return try await outer.value
    }

    /// `await asyncio.wait(fs, timeout=None, return_when=ALL_COMPLETED)`: waits until
    /// `returnWhen` holds or `timeout` seconds pass, and returns `(done, pending)` (Python's
    /// two sets, here in the order given). Never throws on a timeout; `ValueError` for no
    /// futures at all. Even futures already done are seen one loop pass later, as in asyncio.
    public static func wait<F: asyncio.AnyFuture>(
        _ futures: [F], timeout: Double? = nil, returnWhen: concurrent.futures.ReturnWhen = .allCompleted
    ) async throws -> (done: [F], pending: [F]) {
        guard !futures.isEmpty else { throw builtins.ValueError("Set of Tasks/Futures is empty.") }
        let unique = futures.reduce(into: [F]()) { kept, future in
            if !kept.contains(where: { $0 === future }) { kept.append(future) }
        }
        let loop = asyncio.getRunningLoop()
        let waiter = asyncio.Future<Void>(loop: loop)
        let release = { if !waiter.done { try? waiter.setResult(()) } }
        let timer = timeout.map { loop.callLater($0, release) }
        var counter = unique.count
        let callbacks = unique.map { future in
            future.addDoneCallback { done in
                counter -= 1
                let failed = !done.cancelled && (try? done.exception()) != nil
                if counter <= 0 || returnWhen == .firstCompleted || (returnWhen == .firstException && failed) {
                    timer?.cancel()
                    release()
                }
            }
        }
        defer {
            timer?.cancel()
            for (future, callback) in zip(unique, callbacks) { future.removeDoneCallback(callback) }
        }
        try await waiter.value
        return (unique.filter(\.done), unique.filter { !$0.done })
    }

    /// `asyncio.as_completed(coros, timeout=...)`: as `asCompleted(_:)`, but once `timeout`
    /// seconds have passed, every outcome not yet taken is `TimeoutError` (the tasks run on).
    public static func asCompleted<T: Sendable>(
        _ coroutines: [Coroutine<T>], timeout: Double?
    ) -> asyncio.AsCompletedWithTimeout<T> {
        let loop = asyncio.getRunningLoop()
        let done = asyncio.Queue<asyncio.Task<T>?>()
        let tasks = coroutines.map { asyncio.Task(loop: loop, $0) }
        var todo = tasks.count
        var timedOut = false
        var timer: LoopTimer?
        var callbacks: [Int] = []
        for task in tasks {
            callbacks.append(
                task.addDoneCallback { _ in
                    guard !timedOut else { return }  // `_on_timeout` was here first
                    todo -= 1
                    try? done.putNowait(task)
                    if todo == 0 { timer?.cancel() }
                })
        }
        if let timeout, !tasks.isEmpty {
            timer = loop.callLater(timeout) {
                for (task, callback) in zip(tasks, callbacks) { task.removeDoneCallback(callback) }
                for _ in 0..<todo { try? done.putNowait(nil) }  // one `TimeoutError` each
                todo = 0
                timedOut = true
            }
        }
        return asyncio.AsCompletedWithTimeout(done: done, count: tasks.count)
    }
}

extension asyncio {
    /// What `asyncio.asCompleted(_:timeout:)` returns: one outcome per coroutine, in finishing
    /// order, then `TimeoutError` for each one left once the timeout has passed.
    public struct AsCompletedWithTimeout<T: Sendable>: AsyncSequence, Sendable {
        /// An outcome: `await next_done`'s value or error.
        public typealias Element = Result<T, any Error>
        let done: asyncio.Queue<asyncio.Task<T>?>
        let count: Int

        /// Iterates once over the outcomes.
        public func makeAsyncIterator() -> Iterator {
            Iterator(done: done, left: count)
        }

        /// Waits for the next task to finish, or for the timeout.
        public struct Iterator: AsyncIteratorProtocol {
            let done: asyncio.Queue<asyncio.Task<T>?>
            var left: Int

            /// The next outcome; nil after the last.
            public mutating func next() async -> Result<T, any Error>? {
                guard left > 0 else { return nil }
                left -= 1
                do {
                    guard let task = try await done.get() else { return .failure(builtins.TimeoutError()) }
                    return .success(try task.result())
                } catch {
                    return .failure(error)
                }
            }
        }
    }

    /// `gather`'s outer future (`_GatheringFuture`) for `gather(_:returnExceptions:)`: cancelling
    /// it cancels the children.
    private final class OutcomeGatheringFuture<T: Sendable>: asyncio.Future<T>, @unchecked Sendable {
        // @unchecked: only touched on the loop's thread.
        let children: [asyncio.AnyFuture]
        private(set) var cancelRequested = false

        init(loop: asyncio.EventLoop, children: [asyncio.AnyFuture]) {
            self.children = children
            super.init(loop: loop)
        }

        override func cancel(_ message: String? = nil) -> Bool {
            if done { return false }
            var any = false
            for child in children where child.cancel(message) { any = true }
            if any { cancelRequested = true }
            return any
        }
    }
}
