import Foundation
import Futures
import SystemCalls

/// Python's `asyncio` on Swift concurrency, for the ports: coroutines are `async` closures,
/// and `asyncio.run` gives each cell its own single-threaded event loop (`asyncio.EventLoop`), so
/// only one coroutine runs at a time and a blocking call stops them all, as in Python.
/// Everything but `run` must be called from code running on that loop. Semantics are
/// CPython 3.11's, cancellation included (see `asyncio.AnyTask`).
public enum asyncio {
    /// A coroutine not yet started: what `gather`, `asCompleted` and `waitFor` take.
    public typealias Coroutine<T> = @Sendable () async throws -> T

    /// `asyncio.run(main())`: a fresh event loop served by the calling thread until `main`
    /// (task `Task-1`) is done; the tasks left over are then cancelled and waited for.
    /// Returns `main`'s result or rethrows its error (`asyncio.CancelledError` if it was cancelled).
    /// What asyncio logs (a task's exception never retrieved) goes to `ctx`'s stderr, or to
    /// the process's stderr without one.
    @discardableResult
    public static func run<T: Sendable>(logTo ctx: DemoContext? = nil, _ main: @escaping Coroutine<T>) throws -> T {
        guard asyncio.EventLoop.current == nil else {
            throw builtins.RuntimeError("asyncio.run() cannot be called from a running event loop")
        }
        let report: @Sendable (String) -> Void =
            if let ctx { { ctx.write($0, to: .stderr) } } else { { Syscall.writeToStandardError($0) } }
        return try asyncio.EventLoop(report: report).runUntilComplete(main)
    }

    /// The loop of the calling coroutine (`asyncio.get_running_loop()`).
    public static func getRunningLoop() -> asyncio.EventLoop {
        guard let loop = asyncio.EventLoop.current else {
            preconditionFailure("no running event loop: call this inside asyncio.run")
        }
        return loop
    }

    /// `asyncio.current_task()`: the task running the caller.
    public static func currentTask() -> asyncio.AnyTask { asyncio.AnyTask.running }

    /// `await asyncio.sleep(seconds)`: a timer on the loop; the other coroutines run meanwhile.
    /// `time.sleep(0)` (or less) gives the loop exactly one pass. Throws `asyncio.CancelledError` if the
    /// task is cancelled while it waits.
    public static func sleep(_ seconds: Double) async throws {
        let task = asyncio.AnyTask.running
        guard seconds > 0 else { return try await task.yieldOnce() }
        let future = asyncio.Future<Void>(loop: task.loop, waitKind: .sleep)
        let timer = task.loop.callLater(seconds) { if !future.done { try? future.setResult(()) } }
        defer { timer.cancel() }
        try await future.value
    }

    /// `asyncio.create_task(coro)`: starts `coroutine` as a task on the loop, to run in its
    /// next pass; `await task.value` collects its result.
    @discardableResult
    public static func createTask<T: Sendable>(_ coroutine: @escaping Coroutine<T>) -> asyncio.Task<T> {
        asyncio.Task(loop: getRunningLoop(), coroutine)
    }

    /// `await asyncio.gather(*coros)`: runs each coroutine as a task (started in argument
    /// order) and returns their results in argument order. The first error (a cancelled
    /// child counts as `asyncio.CancelledError`) is thrown as soon as it happens; the other tasks
    /// run on, as in Python. Cancelling the caller cancels every child.
    @discardableResult
    public static func gather<T: Sendable>(_ coroutines: [Coroutine<T>]) async throws -> [T] {
        let loop = getRunningLoop()
        let children = coroutines.map { asyncio.Task(loop: loop, $0) }
        let outer = GatheringFuture<[T]>(loop: loop, children: children)
        if children.isEmpty { try outer.setResult([]) }
        var finished = 0
        for child in children {
            child.addDoneCallback { _ in
                finished += 1
                if outer.done {
                    _ = child.takeFailure()  // marks it retrieved
                    return
                }
                if let failure = child.takeFailure() {
                    try? outer.setException(failure)
                } else if finished == children.count {
                    if outer.cancelRequested {
                        try? outer.setException(asyncio.CancelledError())
                    } else {
                        try? outer.setResult(children.compactMap { try? $0.result() })  // all succeeded
                    }
                }
            }
        }
        return try await outer.value
    }

    /// `await asyncio.gather(*(fn(x) for x in inputs))`.
    @discardableResult
    public static func gather<Input: Sendable, T: Sendable>(
        _ inputs: some Sequence<Input>, _ coroutine: @escaping @Sendable (Input) async throws -> T
    ) async throws -> [T] {
        try await gather(inputs.map { input in { try await coroutine(input) } })
    }

    /// `asyncio.shield(aw)`: awaiting the result cancels only the outer future, never
    /// `task`, which runs on; the outer one gets `task`'s outcome when it is done.
    public static func shield<T: Sendable>(_ task: asyncio.Task<T>) -> asyncio.Future<T> {
        let outer = asyncio.Future<T>(loop: task.loop)
        let innerCallback = task.addDoneCallback { _ in
            if outer.cancelled {
                _ = task.takeFailure()  // marks it retrieved
            } else if task.cancelled {
                outer.cancel()
            } else if let failure = task.takeFailure() {
                try? outer.setException(failure)
            } else if let value = try? task.result() {
                try? outer.setResult(value)
            }
        }
        outer.addDoneCallback { _ in if !task.done { task.removeDoneCallback(innerCallback) } }
        return outer
    }

    /// `asyncio.shield(coro)`: the coroutine as a task, shielded.
    public static func shield<T: Sendable>(_ coroutine: @escaping Coroutine<T>) -> asyncio.Future<T> {
        shield(createTask(coroutine))
    }

    /// `await asyncio.to_thread(fn)`: runs the blocking `fn` on the loop's default thread
    /// pool (a `concurrent.futures.ThreadPoolExecutor` from `Futures`), so the loop keeps serving other
    /// coroutines meanwhile. Cancelling the awaiting task drops a call not yet started;
    /// one that has started runs to its end, as a thread cannot be stopped.
    public static func toThread<T: Sendable>(_ fn: @escaping @Sendable () throws -> T) async throws -> T {
        try await getRunningLoop().runInExecutor(nil, fn).value
    }
}

extension asyncio.EventLoop {
    /// `loop.run_in_executor(executor, fn)`: submits `fn` to `executor` (the loop's default
    /// thread pool when nil) and returns an asyncio future for its result. Cancelling the
    /// future cancels the call if it has not started.
    public func runInExecutor<T: Sendable>(
        _ executor: concurrent.futures.ThreadPoolExecutor?, _ fn: @escaping @Sendable () throws -> T
    ) -> asyncio.Future<T> {
        let future = asyncio.Future<T>(loop: self)
        let work = (executor ?? defaultExecutor).submit(fn)
        future.addDoneCallback { _ in if future.cancelled { work.cancel() } }
        let destination = LoopBound(future)
        work.addDoneCallback { [self] done in
            // On the thread that finished `fn`: hand the outcome to the loop (_chain_future).
            callSoon {
                let future = destination.value
                guard !future.done else { return }
                do {
                    try future.setResult(try done.result())
                } catch is concurrent.futures.CancelledError {
                    future.cancel()
                } catch {
                    try? future.setException(error)
                }
            }
        }
        return future
    }
}

/// `gather`'s outer future (`_GatheringFuture`): cancelling it cancels the children.
private final class GatheringFuture<T: Sendable>: asyncio.Future<T>, @unchecked Sendable {
    // @unchecked: asyncio.Future's conformance, restated; `children` never changes and
    // `childCancelled` is a LoopBound.
    let children: [asyncio.AnyFuture]
    private let childCancelled: LoopBound<Bool>

    init(loop: asyncio.EventLoop, children: [asyncio.AnyFuture]) {
        self.children = children
        childCancelled = LoopBound(false, on: loop)
        super.init(loop: loop)
    }

    /// Whether `cancel` reached a child (asyncio's `_cancel_requested`).
    var cancelRequested: Bool { childCancelled.value }

    override func cancel(_ message: String? = nil) -> Bool {
        if done { return false }
        var any = false
        for child in children where child.cancel(message) { any = true }
        if any { childCancelled.value = true }
        return any
    }
}

extension asyncio {
    /// `asyncio.as_completed(coros)`: starts every coroutine as a task (in list order) and
    /// yields each outcome as it finishes (finishing order). `try outcome.get()` is
    /// `await next_done`; a `asyncio.CancelledError` thrown while waiting for the next one comes
    /// out that way too. Tasks still running when the iteration ends run on, as in Python.
    public static func asCompleted<T: Sendable>(_ coroutines: [Coroutine<T>]) -> asyncio.AsCompletedSequence<T> {
        let loop = getRunningLoop()
        let done = asyncio.Queue<asyncio.Task<T>>()
        for coroutine in coroutines {
            let task = asyncio.Task(loop: loop, coroutine)
            task.addDoneCallback { _ in try? done.putNowait(task) }
        }
        return asyncio.AsCompletedSequence(done: done, count: coroutines.count)
    }
}

extension asyncio {
    /// What `asyncio.asCompleted` returns: one outcome per coroutine, in finishing order.
    public struct AsCompletedSequence<T: Sendable>: AsyncSequence, Sendable {
        /// An outcome: `await next_done`'s value or error.
        public typealias Element = Result<T, any Error>
        let done: asyncio.Queue<asyncio.Task<T>>
        let count: Int

        /// Iterates once over the outcomes.
        public func makeAsyncIterator() -> Iterator {
            Iterator(done: done, left: count)
        }

        /// Waits for the next task to finish.
        public struct Iterator: AsyncIteratorProtocol {
            let done: asyncio.Queue<asyncio.Task<T>>
            var left: Int

            /// The next outcome in finishing order; nil after the last.
            public mutating func next() async -> Result<T, any Error>? {
                guard left > 0 else { return nil }
                left -= 1
                do {
                    return .success(try await done.get().result())
                } catch {
                    return .failure(error)
                }
            }
        }
    }
}
