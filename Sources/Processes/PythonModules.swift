import Futures

extension concurrent.futures {
    /// Python's `concurrent.futures.process`, the module of ``ProcessPoolExecutor``.
    public enum process {
        /// Python's `concurrent.futures.process.BrokenProcessPool`: a worker of the pool died
        /// (or its connection broke), so the pool's pending work fails and it takes no more.
        public struct BrokenProcessPool: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
            /// `str(exc)`.
            public let message: String

            /// `BrokenProcessPool(message)`.
            public init(_ message: String) {
                self.message = message
            }

            /// `str(exc)`.
            public var description: String { message }
            /// `type(exc).__name__`.
            public var pythonName: String { "BrokenProcessPool" }
            /// `str(exc)`.
            public var pythonMessage: String { message }

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
    public struct PicklingError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `str(exc)`.
        public let message: String

        /// `PicklingError(message)`.
        public init(_ message: String) {
            self.message = message
        }

        /// `str(exc)`.
        public var description: String { message }
        /// `type(exc).__name__`.
        public var pythonName: String { "PicklingError" }
        /// `str(exc)`.
        public var pythonMessage: String { message }

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
    public struct UnpicklingError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `str(exc)`.
        public let message: String

        /// `UnpicklingError(message)`.
        public init(_ message: String) {
            self.message = message
        }

        /// `str(exc)`.
        public var description: String { message }
        /// `type(exc).__name__`.
        public var pythonName: String { "UnpicklingError" }
        /// `str(exc)`.
        public var pythonMessage: String { message }
    }
}

extension multiprocessing {
    /// Python's `multiprocessing.TimeoutError`: `AsyncResult.get(timeout:)` or an `imap`
    /// iterator's `next(timeout:)` ran out of time (another class than the built-in one).
    public struct TimeoutError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `multiprocessing.TimeoutError()`.
        public init() {}
        /// `str(exc)`: empty, as Python raises it.
        public var description: String { "" }
        /// `type(exc).__name__`.
        public var pythonName: String { "TimeoutError" }
        /// `str(exc)`: empty.
        public var pythonMessage: String { "" }
    }
}
