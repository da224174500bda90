import Foundation
import Futures
import SystemCalls

extension concurrent.futures {
    /// Runs registered functions in worker processes: Python's
    /// `concurrent.futures.ProcessPoolExecutor`, with the `concurrent.futures.ThreadPoolExecutor` interface.
    ///
    /// Workers are this program started again (see `ProcessWorker`), on demand up to
    /// `maxWorkers`, and reused. Only a `RemoteFunction` can cross to a worker; its argument and
    /// result travel as JSON over a socket, one message per call (or per chunk of `map`). An error
    /// thrown in a worker is rethrown by `result()` as the same exception class (a `PythonError`
    /// for a class without a Swift type). A worker that dies fails the pool's pending futures with `BrokenProcessPool`, and
    /// every later `submit` raises it. `submit` after `shutdown` raises `RuntimeError`.
    /// Dropping the executor without `shutdown` behaves like `shutdown(wait: false)`.
    public final class ProcessPoolExecutor: Sendable {
        /// The most worker processes at once (Python: `max_workers`).
        public let maxWorkers: Int
        let pool: ProcessPool

        /// - Parameters:
        ///   - maxWorkers: must be > 0; `nil` means the number of cores, Python's default.
        ///   - executable: the program to start as a worker; `nil` means `ProcessWorker.defaultExecutable`.
        /// The workers belong to the calling thread's `ProcessScope.current`, if any.
        public init(maxWorkers: Int? = nil, executable: String? = nil) {
            let workers = maxWorkers ?? ProcessInfo.processInfo.activeProcessorCount
            precondition(workers > 0, "maxWorkers must be greater than 0")
            self.maxWorkers = workers
            self.pool = ProcessPool(
                maxWorkers: workers, executable: executable ?? ProcessWorker.defaultExecutable,
                scope: ProcessScope.current)
        }

        deinit {
            pool.shutdown(wait: false, cancelFutures: false)
        }

        /// Schedules `function(argument)` in a worker and returns its future at once (Python: `submit`).
        /// Throws at once, as Python 3.11 raises, on a broken pool (`BrokenProcessPool`) or after
        /// `shutdown` (`RuntimeError: cannot schedule new futures after shutdown`). An argument that
        /// can't be encoded fails the future with `PicklingError`.
        @discardableResult
        public func submit<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ argument: Argument
        ) throws -> concurrent.futures.Future<Output> {
            let future = concurrent.futures.Future<Output>()
            try enqueue(function, [argument], into: future) { outputs in
                guard let output = outputs.first, outputs.count == 1 else {
                    throw pickle.UnpicklingError("expected one result, got \(outputs.count)")
                }
                return output
            }
            return future
        }

        /// Schedules a function of no arguments (Python: `pool.submit(bump)`).
        @discardableResult
        public func submit<Output>(_ function: RemoteFunction<NoValue, Output>) throws
            -> concurrent.futures.Future<Output>
        {
            try submit(function, NoValue())
        }

        /// A closure has no registered name, so it cannot reach a worker: Python submitting a
        /// lambda. As in 3.11, `submit` itself raises only what any submit raises (a broken or shut
        /// down pool); the future then fails with `PicklingError` ("Can't pickle <function <lambda>
        /// at 0x...>: attribute lookup <lambda> on __main__ failed"), and the pool stays usable.
        @discardableResult
        public func submit<Output: Sendable>(_ closure: @escaping @Sendable () throws -> Output) throws
            -> concurrent.futures.Future<Output>
        {
            try refuseClosure()
        }

        /// As `submit(_:)` for a closure taking an argument (Python: `pool.submit(lambda x: x * 2, 21)`).
        @discardableResult
        public func submit<Argument, Output: Sendable>(
            _ closure: @escaping @Sendable (Argument) throws -> Output, _ argument: Argument
        ) throws -> concurrent.futures.Future<Output> {
            try refuseClosure()
        }

        private func refuseClosure<Output>() throws -> concurrent.futures.Future<Output> {
            try pool.checkAccepting()
            let future = concurrent.futures.Future<Output>()
            future.setException(pickle.PicklingError.closure(at: ObjectIdentifier(future)))
            return future
        }

        /// Applies `function` to every input in the workers and returns the results in input
        /// order (Python: `map(fn, *iterables, timeout=None, chunksize=1)`, eagerly collected).
        ///
        /// Inputs are sent `chunksize` at a time: one message and one reply per chunk. The error
        /// thrown is the first in input order; on an error or timeout the unsent chunks are cancelled.
        /// A broken or shut down pool raises at once, as `submit` does.
        public func map<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>,
            _ inputs: some Sequence<Argument>,
            timeout: TimeInterval? = nil,
            chunksize: Int = 1
        ) throws -> [Output] {
            guard chunksize >= 1 else { throw builtins.ValueError("chunksize must be >= 1.") }
            let end = timeout.map { Clock.monotonic + $0 }
            let all = Array(inputs)
            var futures: [concurrent.futures.Future<[Output]>] = []
            do {
                for start in stride(from: 0, to: all.count, by: chunksize) {
                    let future = concurrent.futures.Future<[Output]>()
                    try enqueue(function, Array(all[start..<min(start + chunksize, all.count)]), into: future) { $0 }
                    futures.append(future)
                }
                var results: [Output] = []
                results.reserveCapacity(all.count)
                for future in futures {
                    results += try future.result(timeout: end.map { max(0, $0 - Clock.monotonic) })
                }
                return results
            } catch {
                for future in futures { future.cancel() }
                throw error
            }
        }

        /// Stops accepting work (Python: `shutdown(wait=True, *, cancel_futures=False)`); workers
        /// exit once the queue is drained. With `wait`, returns after every worker has exited; the
        /// calling cell's GIL is released meanwhile.
        public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
            pool.shutdown(wait: wait, cancelFutures: cancelFutures)
        }

        /// Kills this pool's workers now (SIGKILL, Python 3.14's `terminate_workers`): queued futures
        /// are cancelled, running ones fail with `BrokenProcessPool`. With `wait`, returns once
        /// every worker is reaped (the calling cell's GIL released meanwhile).
        public func terminate(wait: Bool = true) {
            pool.terminate(wait: wait)
        }

        /// SIGKILLs every live child this program started through this library (every pool's
        /// workers and every `multiprocessing.Process`): for SIGINT/SIGTERM handlers. To end only
        /// the children of one piece of abandoned work, terminate its `ProcessScope`.
        package static func terminateAllWorkers() {
            ChildProcesses.killAll()
        }

        /// Requests sent to workers so far: one per `submit`, one per chunk of `map`.
        package var messagesSent: Int { pool.messagesSent }

        /// The pids of the workers alive now.
        package var workerPIDs: [Int32] { pool.workerPIDs }

        /// Runs `body` with a new executor and shuts it down with `wait: true` when `body`
        /// returns or throws (Python: `with concurrent.futures.ProcessPoolExecutor(...) as pool:`).
        public static func with<R>(
            maxWorkers: Int? = nil,
            executable: String? = nil,
            _ body: (concurrent.futures.ProcessPoolExecutor) throws -> R
        ) rethrows -> R {
            let executor = concurrent.futures.ProcessPoolExecutor(maxWorkers: maxWorkers, executable: executable)
            defer { executor.shutdown(wait: true) }
            return try body(executor)
        }

        private func enqueue<Argument, Output, T>(
            _ function: RemoteFunction<Argument, Output>, _ arguments: [Argument],
            into future: concurrent.futures.Future<T>,
            _ collect: @escaping @Sendable ([Output]) throws -> T
        ) throws {
            try pool.submit(function, arguments, into: future, collect)
        }
    }
}
