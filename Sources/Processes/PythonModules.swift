import Futures

extension concurrent.futures {
    /// Python's `concurrent.futures.process`, the module of ``ProcessPoolExecutor``.
    public enum process {
        /// Python's `concurrent.futures.process.BrokenProcessPool`: a worker of the pool died
        /// (or its connection broke), so the pool's pending work fails and it takes no more.
        /// (A `RuntimeError`, through `concurrent.futures.BrokenExecutor`, as in Python.)
        public final class BrokenProcessPool: builtins.RuntimeError, @unchecked Sendable {
            /// A worker died while running or holding the future (Python's exact message).
            static let whileRunning = BrokenProcessPool(
                "A process in the process pool was terminated abruptly while the future was running or pending.")

            /// Work submitted to a pool that is already broken.
            static let poolBroken = BrokenProcessPool(
                "A child process terminated abruptly, the process pool is not usable anymore")
        }
    }
}

/// Python's `pickle` module, for its two exceptions: here arguments and results cross to
/// worker processes as JSON, and fail to cross as Python's would fail to pickle.
public enum pickle {
    /// Python's `pickle.PicklingError`: a value (or a closure, which has no registered name)
    /// cannot be sent to a worker process.
    public final class PicklingError: builtins.Exception, @unchecked Sendable {
        /// A closure submitted to a process pool: CPython's message for a lambda, with
        /// `address` standing for the function object's.
        static func closure(at address: ObjectIdentifier) -> PicklingError {
            let hex = String(UInt(bitPattern: address), radix: 16)
            return PicklingError(
                "Can't pickle <function <lambda> at 0x\(hex)>: attribute lookup <lambda> on __main__ failed")
        }
    }

    /// Python's `pickle.UnpicklingError`: what came back from a worker process (or through a
    /// queue or pipe) cannot be read.
    public final class UnpicklingError: builtins.Exception, @unchecked Sendable {}
}

extension multiprocessing {
    /// Python's `multiprocessing.TimeoutError`: `AsyncResult.get(timeout:)` or an `imap`
    /// iterator's `next(timeout:)` ran out of time (another class than the built-in one),
    /// raised without a message.
    public final class TimeoutError: builtins.Exception, @unchecked Sendable {}
}

/// Processes' exception classes, made again as the same class when a worker raises one
/// (registered once, by the first pool).
package let processesExceptionsRegistered: Void = PythonExceptions.register([
    { concurrent.futures.process.BrokenProcessPool($0) }, { pickle.PicklingError($0) },
    { pickle.UnpicklingError($0) }, { multiprocessing.TimeoutError($0) },
])
