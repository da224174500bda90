import Foundation

/// Runs registered functions in worker processes: Python's
/// `concurrent.futures.ProcessPoolExecutor`, with the `ThreadPoolExecutor` interface.
///
/// Workers are this program started again (see `ProcessWorker`), on demand up to
/// `maxWorkers`, and reused. Only a `RemoteFunction` can cross to a worker; its argument and
/// result travel as JSON over a socket, one message per call (or per chunk of `map`). An error
/// thrown in a worker is rethrown by `result()` as a `PythonError` with its type name and
/// message. A worker that dies fails the pool's pending futures with `BrokenProcessPool`.
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
    /// An argument that can't be encoded fails the future with `PicklingError`.
    @discardableResult
    public func submit<Argument, Output>(
        _ function: RemoteFunction<Argument, Output>, _ argument: Argument
    ) -> Future<Output> {
        let future = Future<Output>()
        enqueue(function, [argument], into: future) { outputs in
            guard let output = outputs.first, outputs.count == 1 else {
                throw PythonError("UnpicklingError", "expected one result, got \(outputs.count)")
            }
            return output
        }
        return future
    }

    /// Schedules a function of no arguments (Python: `pool.submit(bump)`).
    @discardableResult
    public func submit<Output>(_ function: RemoteFunction<NoValue, Output>) -> Future<Output> {
        submit(function, NoValue())
    }

    /// A closure has no registered name, so it cannot reach a worker: the future fails with
    /// `PicklingError` (Python: submitting a lambda). The pool stays usable.
    @discardableResult
    public func submit<Output: Sendable>(_ closure: @escaping @Sendable () throws -> Output) -> Future<Output> {
        let future = Future<Output>()
        future.setException(PythonError.closureNotRegistered)
        return future
    }

    /// As `submit(_:)` for a closure taking an argument (Python: `pool.submit(lambda x: x * 2, 21)`).
    @discardableResult
    public func submit<Argument, Output: Sendable>(
        _ closure: @escaping @Sendable (Argument) throws -> Output, _ argument: Argument
    ) -> Future<Output> {
        let future = Future<Output>()
        future.setException(PythonError.closureNotRegistered)
        return future
    }

    /// Applies `function` to every input in the workers and returns the results in input
    /// order (Python: `map(fn, *iterables, timeout=None, chunksize=1)`, eagerly collected).
    ///
    /// Inputs are sent `chunksize` at a time: one message and one reply per chunk. The error
    /// thrown is the first in input order; on an error or timeout the unsent chunks are cancelled.
    public func map<Argument, Output>(
        _ function: RemoteFunction<Argument, Output>,
        _ inputs: some Sequence<Argument>,
        timeout: TimeInterval? = nil,
        chunksize: Int = 1
    ) throws -> [Output] {
        precondition(chunksize >= 1, "chunksize must be >= 1")
        let deadline = Deadline(timeout: timeout)
        let all = Array(inputs)
        let futures = stride(from: 0, to: all.count, by: chunksize).map { start in
            let future = Future<[Output]>()
            enqueue(function, Array(all[start..<min(start + chunksize, all.count)]), into: future) { $0 }
            return future
        }
        do {
            var results: [Output] = []
            results.reserveCapacity(all.count)
            for future in futures { results += try future.result(until: deadline) }
            return results
        } catch {
            for future in futures { future.cancel() }
            throw error
        }
    }

    /// Stops accepting work (Python: `shutdown(wait=True, *, cancel_futures=False)`); workers
    /// exit once the queue is drained. With `wait`, returns after every worker has exited.
    public func shutdown(wait: Bool = true, cancelFutures: Bool = false) {
        pool.shutdown(wait: wait, cancelFutures: cancelFutures)
    }

    /// Kills this pool's workers now (SIGKILL, Python 3.14's `terminate_workers`): queued futures
    /// are cancelled, running ones fail with `BrokenProcessPool`. With `wait`, returns once
    /// every worker is reaped.
    public func terminate(wait: Bool = true) {
        pool.terminate(wait: wait)
    }

    /// SIGKILLs every live child this program started through this library (every pool's
    /// workers and every `Multiprocessing.Process`): for SIGINT/SIGTERM handlers. To end only
    /// the children of one piece of abandoned work, terminate its `ProcessScope`.
    public static func terminateAllWorkers() {
        ChildProcesses.killAll()
    }

    /// Requests sent to workers so far: one per `submit`, one per chunk of `map`.
    public var messagesSent: Int { pool.messagesSent }

    /// The pids of the workers alive now.
    public var workerPIDs: [Int32] { pool.workerPIDs }

    /// Runs `body` with a new executor and shuts it down with `wait: true` when `body`
    /// returns or throws (Python: `with ProcessPoolExecutor(...) as pool:`).
    public static func with<R>(
        maxWorkers: Int? = nil,
        executable: String? = nil,
        _ body: (ProcessPoolExecutor) throws -> R
    ) rethrows -> R {
        let executor = ProcessPoolExecutor(maxWorkers: maxWorkers, executable: executable)
        defer { executor.shutdown(wait: true) }
        return try body(executor)
    }

    private func enqueue<Argument, Output, T>(
        _ function: RemoteFunction<Argument, Output>, _ arguments: [Argument], into future: Future<T>,
        _ collect: @escaping @Sendable ([Output]) throws -> T
    ) {
        let payload: [UInt8]
        do {
            payload = try function.encode(arguments)
        } catch {
            future.setException(Self.picklingError(error))
            return
        }
        pool.enqueue(
            PoolCall(
                function: function.name,
                payload: payload,
                start: { future.setRunningOrNotifyCancel() },
                finish: { result in
                    _ = future.finish(
                        Result {
                            let outputs: [Output]
                            do { outputs = try function.decodeOutputs(try result.get()) } catch let error
                                as DecodingError
                            {
                                throw PythonError("UnpicklingError", String(describing: error))
                            }
                            return try collect(outputs)
                        })
                },
                cancel: { future.cancel() }))
    }

    private static func picklingError(_ error: any Error) -> any Error {
        if error is PythonError { return error }  // e.g. a shared Value, which only crosses by inheritance
        return PythonError("PicklingError", "Can't pickle argument: \(error)")
    }
}
