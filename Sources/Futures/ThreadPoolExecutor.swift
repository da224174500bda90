import Foundation

extension concurrent.futures {
    /// Runs closures on a bounded set of worker threads: Python's
    /// `concurrent.futures.ThreadPoolExecutor`.
    ///
    /// At most `maxWorkers` tasks run at once; the rest wait in a FIFO queue. Workers are
    /// started on demand and exit after `shutdown`. Each executor owns its threads (see
    /// `WorkerPool`), so blocking tasks cannot starve other executors. Dropping the last
    /// reference without calling `shutdown` behaves like `shutdown(wait: false)`.
    ///
    /// A task runs under the `Ambient` context of the thread that submitted it (with that
    /// context's `enter`/`exit` around it, its done-callbacks included), and every blocking
    /// wait here is announced to the waiting thread's context: see `Ambient.swift`.
    ///
    /// Don't call `shutdown(wait: true)`, or wait on a queued future of the same pool,
    /// from inside one of its tasks: as in Python, that deadlocks.
    public final class ThreadPoolExecutor: Sendable {
        /// The most tasks that run at once (Python: `max_workers`).
        public let maxWorkers: Int
        let pool: WorkerPool

        /// Creates an executor; no thread starts until work is submitted.
        ///
        /// - Parameters:
        ///   - maxWorkers: must be > 0; `nil` means `min(32, cores + 4)`, Python's default.
        ///   - threadNamePrefix: worker threads are named `<prefix>_<n>` (Python: `thread_name_prefix`);
        ///     empty, as Python's default, the prefix is `ThreadPoolExecutor-<k>`, k counting such
        ///     executors from 0 in the submitter's `Ambient` context (a cell's interpreter, as
        ///     Python counts them per process), so the first one's threads are
        ///     `ThreadPoolExecutor-0_0`, `ThreadPoolExecutor-0_1`, ...
        public init(maxWorkers: Int? = nil, threadNamePrefix: String = "") {
            let workers = maxWorkers ?? min(32, ProcessInfo.processInfo.activeProcessorCount + 4)
            precondition(workers > 0, "maxWorkers must be greater than 0")
            self.maxWorkers = workers
            let prefix =
                threadNamePrefix.isEmpty ? "ThreadPoolExecutor-\(Ambient.nextExecutorNumber())" : threadNamePrefix
            self.pool = WorkerPool(maxWorkers: workers, namePrefix: prefix)
        }

        deinit {
            // Python's executor finalizer: let queued work finish, then the threads exit.
            pool.shutdown(wait: false, cancelFutures: false)
        }

        /// Schedules `fn` and returns its future at once, never blocking (Python: `submit`).
        ///
        /// An error thrown by `fn` is stored and rethrown by `concurrent.futures.Future.result()`.
        /// After `shutdown`, nothing is scheduled and the returned future has already failed
        /// with `builtins.RuntimeError("cannot schedule new futures after shutdown")` (Python raises `RuntimeError` from `submit` itself;
        /// here `submit` stays non-throwing so `pool.submit { ... }` needs no `try`).
        @discardableResult
        public func submit<T: Sendable>(_ fn: @escaping @Sendable () throws -> T) -> concurrent.futures.Future<T> {
            let future = concurrent.futures.Future<T>()
            let context = Ambient.current  // the task runs under its submitter's context
            let item = WorkItem(
                run: {
                    guard future.setRunningOrNotifyCancel() else { return }
                    Ambient.run(in: context) { _ = future.finish(Result { try fn() }) }
                },
                cancel: { future.cancel() }
            )
            if !pool.enqueue(item) {
                _ = future.finish(.failure(builtins.RuntimeError("cannot schedule new futures after shutdown")))
            }
            return future
        }

        /// Applies `transform` to every input concurrently and returns the results in
        /// input order (Python: `map(fn, *iterables, timeout=None)`, eagerly collected).
        ///
        /// All inputs are submitted at once. Results are awaited in input order, so the
        /// error thrown is the first one *in input order*, as when iterating Python's
        /// `map`. On any error or timeout the not-yet-started tasks are cancelled.
        ///
        /// - Parameter timeout: seconds, measured from the call, for the whole map.
        /// - Throws: the first task error in input order, `TimeoutError()`, or
        ///   `builtins.RuntimeError("cannot schedule new futures after shutdown")` if the executor is shut down.
        public func map<Input: Sendable, Output: Sendable>(
            _ inputs: some Sequence<Input>,
            timeout: TimeInterval? = nil,
            _ transform: @escaping @Sendable (Input) throws -> Output
        ) throws -> [Output] {
            let deadline = Deadline(timeout: timeout)
            let futures = inputs.map { input in submit { try transform(input) } }
            do {
                return try futures.map { try $0.result(until: deadline) }
            } catch {
                for future in futures { future.cancel() }
                throw error
            }
        }

        /// Stops accepting work (Python: `shutdown(wait=True, *, cancel_futures=False)`).
        ///
        /// - Parameters:
        ///   - wait: if `true`, returns only after every submitted task has run and every
        ///     worker thread has finished; if `false`, returns at once and the workers
        ///     exit by themselves once the queue is drained.
        ///   - cancelFutures: cancel the tasks still queued (not yet started) first.
        /// Calling it again is harmless.
        public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
            pool.shutdown(wait: wait, cancelFutures: cancelFutures)
        }

        /// Runs `body` with a new executor and shuts it down with `wait: true` when `body`
        /// returns or throws, rethrowing its error (Python: `with concurrent.futures.ThreadPoolExecutor(...) as pool:`).
        public static func with<R>(
            maxWorkers: Int? = nil,
            threadNamePrefix: String = "",
            _ body: (concurrent.futures.ThreadPoolExecutor) throws -> R
        ) rethrows -> R {
            let executor = concurrent.futures.ThreadPoolExecutor(
                maxWorkers: maxWorkers, threadNamePrefix: threadNamePrefix)
            defer { executor.shutdown(wait: true) }
            return try body(executor)
        }
    }
}
