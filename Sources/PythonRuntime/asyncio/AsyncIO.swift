import Futures

/// Python's `asyncio` on Swift concurrency, for the ports: coroutines are `async` closures,
/// and `AsyncIO.run` gives each cell its own single-threaded event loop (`EventLoop`), so
/// only one coroutine runs at a time and a blocking call stops them all, as in Python.
/// Everything but `run` must be called from code running on that loop.
public enum AsyncIO {
    /// A coroutine not yet started: what `gather`, `asCompleted` and `waitFor` take.
    public typealias Coroutine<T> = @Sendable () async throws -> T

    /// `asyncio.run(main())`: a fresh event loop served by the calling thread until `main`
    /// and every task it created are done (leftover tasks are cancelled first); returns
    /// `main`'s result or rethrows its error.
    @discardableResult
    public static func run<T: Sendable>(_ main: @escaping Coroutine<T>) throws -> T {
        guard EventLoop.current == nil else {
            throw PythonError("RuntimeError", "asyncio.run() cannot be called from a running event loop")
        }
        return try EventLoop().runUntilComplete(main)
    }

    /// The loop of the calling coroutine (`asyncio.get_running_loop()`).
    public static var runningLoop: EventLoop {
        guard let loop = EventLoop.current else {
            preconditionFailure("no running event loop: call this inside AsyncIO.run")
        }
        return loop
    }

    /// `await asyncio.sleep(seconds)`: a timer on the loop; the other coroutines run meanwhile.
    /// Throws `CancellationError` if the task is cancelled while it waits.
    public static func sleep(_ seconds: Double) async throws {
        try await runningLoop.sleep(seconds)
    }

    /// `asyncio.create_task(coro)`: starts `coroutine` as a task on the loop, to run as soon
    /// as the caller awaits something; `await task.value` collects its result.
    @discardableResult
    public static func createTask<T: Sendable>(_ coroutine: @escaping Coroutine<T>) -> LoopTask<T> {
        LoopTask(task: runningLoop.spawn(coroutine))
    }

    /// `await asyncio.gather(*coros)`: runs the coroutines concurrently (child tasks on the
    /// loop, started in argument order) and returns their results in argument order. The
    /// first error is rethrown; unlike Python, the others are then cancelled (a task group).
    @discardableResult
    public static func gather<T: Sendable>(_ coroutines: [Coroutine<T>]) async throws -> [T] {
        let slots = GatherSlots<T>(count: coroutines.count)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, coroutine) in coroutines.enumerated() {
                group.addTask { slots.values[index] = try await coroutine() }
            }
            try await group.waitForAll()
        }
        return slots.values.compactMap { $0 }  // every slot is filled once the group is done
    }

    /// `await asyncio.gather(*(fn(x) for x in inputs))`.
    @discardableResult
    public static func gather<Input: Sendable, T: Sendable>(
        _ inputs: some Sequence<Input>, _ coroutine: @escaping @Sendable (Input) async throws -> T
    ) async throws -> [T] {
        try await gather(inputs.map { input in { try await coroutine(input) } })
    }

    /// `asyncio.as_completed(coros)`: starts every coroutine as a task and yields each
    /// outcome as it finishes (finishing order). `try outcome.get()` is `await next_done`.
    /// Ending the iteration early cancels the tasks still running.
    public static func asCompleted<T: Sendable>(_ coroutines: [Coroutine<T>]) -> AsyncStream<Result<T, any Error>> {
        let (stream, results) = AsyncStream.makeStream(of: Result<T, any Error>.self)
        let remaining = LoopOwned(coroutines.count)
        if coroutines.isEmpty { results.finish() }
        let tasks = coroutines.map { coroutine in
            runningLoop.spawn {
                let outcome: Result<T, any Error>
                do { outcome = .success(try await coroutine()) } catch { outcome = .failure(error) }
                results.yield(outcome)
                remaining.value -= 1
                if remaining.value == 0 { results.finish() }
            }
        }
        results.onTermination = { _ in
            for task in tasks { task.cancel() }
        }
        return stream
    }

    /// `await asyncio.wait_for(coro, timeout)`: the coroutine's result, or, once `timeout`
    /// seconds have passed, the coroutine is cancelled (its pending `sleep` throws
    /// `CancellationError`, so nothing after it runs), waited for, and `TimeoutError` thrown.
    public static func waitFor<T: Sendable>(_ timeout: Double, _ coroutine: @escaping Coroutine<T>) async throws -> T {
        try await withThrowingTaskGroup(of: WaitForRace<T>.self) { group in
            group.addTask { .value(try await coroutine()) }
            group.addTask {
                try await sleep(timeout)
                return .timedOut
            }
            defer { group.cancelAll() }  // the loser; the group then waits for it
            switch try await group.next() {
            case .value(let value)?: return value
            case .timedOut?, nil: throw TimeoutError()
            }
        }
    }

    /// `await asyncio.to_thread(fn)`: runs the blocking `fn` on the loop's default thread
    /// pool (a `ThreadPoolExecutor` from `Futures`), so the loop keeps serving other
    /// coroutines meanwhile. Cancelling the awaiting task drops a call not yet started;
    /// one that has started runs to its end, as a thread cannot be stopped.
    public static func toThread<T: Sendable>(_ fn: @escaping @Sendable () throws -> T) async throws -> T {
        let future = runningLoop.defaultExecutor.submit(fn)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                future.addDoneCallback { done in
                    continuation.resume(
                        with: Result {
                            do { return try done.result() } catch FuturesError.cancelled { throw CancellationError() }
                        })
                }
            }
        } onCancel: {
            future.cancel()
        }
    }
}

/// `gather`'s results, each written by its child task. No lock: the children and the
/// caller all run on the loop's one thread.
private final class GatherSlots<T>: @unchecked Sendable {
    var values: [T?]

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }
}

/// Which side of `waitFor`'s race finished first.
private enum WaitForRace<T: Sendable>: Sendable {
    case value(T)
    case timedOut
}

/// A task made by `AsyncIO.createTask` (Python's `asyncio.Task`).
public struct LoopTask<T: Sendable>: Sendable {
    let task: Task<T, any Error>

    /// `await task`: the coroutine's result, or its error.
    public var value: T {
        get async throws { try await task.value }
    }

    /// `task.cancel()`: its pending `sleep` (or other wait) throws `CancellationError`.
    public func cancel() { task.cancel() }
}

/// Python's `TimeoutError`, raised by `AsyncIO.waitFor` (shown as `TimeoutError` if a port lets it escape).
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    /// A timeout error, as `asyncio.wait_for` raises it.
    public init() {}
    /// Python's `str(TimeoutError())`: empty.
    public var description: String { "" }
}
