import Foundation
import Futures
import SystemCalls

extension multiprocessing {
    /// A pool of worker processes: Python's `multiprocessing.Pool(processes=None)`.
    ///
    /// Built on `concurrent.futures.ProcessPoolExecutor`'s workers (this program started again, see
    /// `ProcessWorker`): only a `RemoteFunction` can cross, its arguments and results as
    /// JSON. As in CPython, every worker starts when the pool is created and is named
    /// `ForkPoolWorker-N` (`currentProcess().name`); a call's error is rethrown by `get()` as
    /// the same exception class (a `PythonError` for a class without a Swift type). Every wait releases the calling
    /// cell's GIL. The context manager is `Pool.with(processes:) { pool in }`, which calls
    /// `terminate()` at the end, as CPython's `__exit__` does.
    public final class Pool: Sendable {
        private enum Phase: Sendable { case running, closed, terminated }

        /// Python: `pool._processes`, the number of workers.
        public let processes: Int
        private let pool: ProcessPool
        private let phase = Locked(Phase.running)

        /// Python: `Pool(processes=None)`: `nil` is `cpuCount()`; fewer than 1 is CPython's
        /// `ValueError: Number of processes must be at least 1`. `executable` is the worker
        /// program (the course's own binary by default). The workers belong to the calling
        /// thread's `ProcessScope.current`.
        public init(processes: Int? = nil, executable: String? = nil) throws {
            let count = processes ?? multiprocessing.cpuCount()
            guard count >= 1 else { throw builtins.ValueError("Number of processes must be at least 1") }
            self.processes = count
            // CPython numbers the workers when the pool starts them, all at once.
            let names = Locked((0..<count).map { _ in "ForkPoolWorker-\(multiprocessing.nextIdentity())" })
            pool = ProcessPool(
                maxWorkers: count, executable: executable ?? ProcessWorker.defaultExecutable,
                scope: ProcessScope.current,
                nameWorker: {
                    names.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                        ?? "ForkPoolWorker-\(multiprocessing.nextIdentity())"
                })
            pool.startAllWorkers()
        }

        /// A pool dropped without `close()`/`terminate()` is terminated (CPython's `__del__`).
        deinit {
            if phase.withLock({ $0 }) == .running { pool.terminate(wait: false) }
        }

        /// Python: `with Pool(processes) as pool:`: runs `body`, then `terminate()`s the pool
        /// (queued calls are dropped and the workers killed) however `body` ends.
        public static func with<R>(
            processes: Int? = nil, executable: String? = nil, _ body: (Pool) throws -> R
        ) throws -> R {
            let pool = try Pool(processes: processes, executable: executable)
            defer { pool.terminate() }
            return try body(pool)
        }

        private func checkRunning() throws {
            guard phase.withLock({ $0 }) == .running else { throw builtins.ValueError("Pool not running") }
        }

        // MARK: One call

        /// Python: `apply_async(func, args, callback=None, error_callback=None)`. The callbacks
        /// run on the thread that reads the worker's reply, before `get()` returns.
        public func applyAsync<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ argument: Argument,
            callback: (@Sendable (Output) -> Void)? = nil, errorCallback: (@Sendable (any Error) -> Void)? = nil
        ) throws -> AsyncResult<Output> {
            try checkRunning()
            let future = concurrent.futures.Future<Output>()
            try pool.submit(function, [argument], into: future) { outputs in
                guard let output = outputs.first, outputs.count == 1 else {
                    throw pickle.UnpicklingError("expected one result, got \(outputs.count)")
                }
                return output
            }
            return AsyncResult(from: future, kind: "ApplyResult", callback: callback, errorCallback: errorCallback)
        }

        /// A function of no arguments (Python: `pool.apply_async(f)`).
        public func applyAsync<Output>(
            _ function: RemoteFunction<NoValue, Output>,
            callback: (@Sendable (Output) -> Void)? = nil, errorCallback: (@Sendable (any Error) -> Void)? = nil
        ) throws -> AsyncResult<Output> {
            try applyAsync(function, NoValue(), callback: callback, errorCallback: errorCallback)
        }

        /// Python: `apply(func, args)`: `apply_async(...).get()`.
        public func apply<Argument, Output>(_ function: RemoteFunction<Argument, Output>, _ argument: Argument)
            throws -> Output
        {
            try applyAsync(function, argument).get()
        }

        // MARK: Many calls

        /// Python: `map_async(func, iterable, chunksize=None, callback=None, error_callback=None)`.
        /// The inputs go `chunksize` at a time (CPython's default: about four chunks per
        /// worker); the result fails with the first error to arrive, once every chunk is done.
        public func mapAsync<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ inputs: some Sequence<Argument>, chunksize: Int? = nil,
            callback: (@Sendable ([Output]) -> Void)? = nil, errorCallback: (@Sendable (any Error) -> Void)? = nil
        ) throws -> AsyncResult<[Output]> {
            try checkRunning()
            let all = Swift.Array(inputs)
            let size = try chunksize.map(Self.checkedChunksize) ?? defaultChunksize(all.count)
            let whole = collect(try submitChunks(function, all, chunksize: size), count: all.count)
            return AsyncResult(from: whole, kind: "MapResult", callback: callback, errorCallback: errorCallback)
        }

        /// Python: `map(func, iterable, chunksize=None)`: the results in input order.
        public func map<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ inputs: some Sequence<Argument>, chunksize: Int? = nil
        ) throws -> [Output] {
            try mapAsync(function, inputs, chunksize: chunksize).get()
        }

        /// Python: `starmap_async(func, iterable, chunksize=None)`: each pair is the call's two arguments.
        public func starmapAsync<First, Second, Output>(
            _ function: RemoteFunction<ArgumentPair<First, Second>, Output>,
            _ inputs: some Sequence<(First, Second)>, chunksize: Int? = nil
        ) throws -> AsyncResult<[Output]> {
            try mapAsync(function, inputs.map { ArgumentPair($0.0, $0.1) }, chunksize: chunksize)
        }

        /// Python: `starmap(func, iterable, chunksize=None)`: `[func(a, b) for (a, b) in iterable]`.
        public func starmap<First, Second, Output>(
            _ function: RemoteFunction<ArgumentPair<First, Second>, Output>,
            _ inputs: some Sequence<(First, Second)>, chunksize: Int? = nil
        ) throws -> [Output] {
            try starmapAsync(function, inputs, chunksize: chunksize).get()
        }

        /// Python: `imap(func, iterable, chunksize=1)`: results in input order, each as soon
        /// as it and those before it are done.
        public func imap<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ inputs: some Sequence<Argument>, chunksize: Int = 1
        ) throws -> IMapIterator<Output> {
            try checkRunning()
            let chunks = try submitChunks(function, Swift.Array(inputs), chunksize: Self.checkedChunksize(chunksize))
            return IMapIterator(chunks: chunks, ordered: true, stopsAtFirstError: chunksize > 1)
        }

        /// Python: `imap_unordered(func, iterable, chunksize=1)`: results in the order the
        /// workers finish them.
        public func imapUnordered<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ inputs: some Sequence<Argument>, chunksize: Int = 1
        ) throws -> IMapIterator<Output> {
            try checkRunning()
            let chunks = try submitChunks(function, Swift.Array(inputs), chunksize: Self.checkedChunksize(chunksize))
            return IMapIterator(chunks: chunks, ordered: false, stopsAtFirstError: chunksize > 1)
        }

        private static func checkedChunksize(_ chunksize: Int) throws -> Int {
            guard chunksize >= 1 else { throw builtins.ValueError("Chunksize must be 1+, not \(chunksize)") }
            return chunksize
        }

        /// CPython's `_map_async`: `divmod(len(iterable), len(pool) * 4)`, rounded up.
        private func defaultChunksize(_ count: Int) -> Int {
            let (chunksize, extra) = count.quotientAndRemainder(dividingBy: processes * 4)
            return max(1, extra > 0 ? chunksize + 1 : chunksize)
        }

        private func submitChunks<Argument, Output>(
            _ function: RemoteFunction<Argument, Output>, _ inputs: [Argument], chunksize: Int
        ) throws -> [concurrent.futures.Future<[Output]>] {
            try stride(from: 0, to: inputs.count, by: chunksize).map { start in
                let chunk = concurrent.futures.Future<[Output]>()
                try pool.submit(
                    function, Swift.Array(inputs[start..<min(start + chunksize, inputs.count)]), into: chunk
                ) {
                    $0
                }
                return chunk
            }
        }

        /// One future for every chunk's outputs in order: CPython's `MapResult`, which keeps
        /// the first error to arrive and completes when the last chunk does.
        private func collect<Output>(_ chunks: [concurrent.futures.Future<[Output]>], count: Int)
            -> concurrent.futures.Future<[Output]>
        {
            let whole = concurrent.futures.Future<[Output]>()
            guard !chunks.isEmpty else {
                whole.setResult([])
                return whole
            }
            let parts = Locked(
                (
                    outputs: [[Output]?](repeating: nil, count: chunks.count), left: chunks.count,
                    failure: (any Error)?.none
                ))
            for (index, chunk) in chunks.enumerated() {
                chunk.addDoneCallback { done in
                    let outcome = Result { try done.result() }  // done: at once
                    let finished: Result<[Output], any Error>? = parts.withLock { p in
                        switch outcome {
                        case .success(let outputs): p.outputs[index] = outputs
                        case .failure(let error): p.failure = p.failure ?? error
                        }
                        p.left -= 1
                        guard p.left == 0 else { return nil }
                        if let failure = p.failure { return .failure(failure) }
                        return .success(p.outputs.flatMap { $0 ?? [] })
                    }
                    switch finished {
                    case .success(let outputs): whole.setResult(outputs)
                    case .failure(let error): whole.setException(error)
                    case nil: break
                    }
                }
            }
            return whole
        }

        // MARK: Ending

        /// Python: `close()`: no more calls; the workers exit once the queued ones are done.
        public func close() {
            let wasRunning: Bool = phase.withLock { p in
                defer { if p == .running { p = .closed } }
                return p == .running
            }
            if wasRunning { pool.shutdown(wait: false, cancelFutures: false) }
        }

        /// Python: `terminate()`: kills the workers now (SIGKILL). Calls not done are cancelled
        /// or fail with `BrokenProcessPool` (CPython leaves their results pending forever).
        public func terminate() {
            phase.withLock { $0 = .terminated }
            pool.terminate(wait: false)
        }

        /// Python: `join()`: waits, with the GIL released, until every worker has exited; before
        /// `close()` or `terminate()` it is CPython's `ValueError: Pool is still running`.
        public func join() throws {
            if phase.withLock({ $0 }) == .running { throw builtins.ValueError("Pool is still running") }
            pool.shutdown(wait: true, cancelFutures: false)
        }
    }
}
