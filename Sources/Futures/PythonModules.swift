/// Python's `concurrent` package: its one module, `concurrent.futures`, lives here.
///
/// A port finds each look-alike under its Python module and its Python name, as Python's own
/// documentation shows it: `concurrent.futures.ThreadPoolExecutor`, `concurrent.futures.wait`.
public enum concurrent {
    /// Python's `concurrent.futures`: ``ThreadPoolExecutor``, ``Future``, ``wait(_:timeout:returnWhen:)``,
    /// ``asCompleted(_:)`` (and `ProcessPoolExecutor`, from the `Processes` module).
    public enum futures {
        /// Python's `concurrent.futures.TimeoutError`, the built-in ``TimeoutError`` since 3.11.
        public typealias TimeoutError = Futures.TimeoutError
    }
}

/// Python's `queue` module: its exceptions here, its queues (`queue.Queue`, ...) in
/// `PythonRuntime`; `multiprocessing.Queue` raises the same ``Empty``.
public enum queue {
    /// Python's `queue.Empty`: `get(block: false)` or `get(timeout:)` found nothing.
    public struct Empty: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `queue.Empty()`.
        public init() {}
        /// `str(exc)`: empty, as Python raises it.
        public var description: String { "" }
        /// `type(exc).__name__`.
        public var pythonName: String { "Empty" }
        /// `str(exc)`: empty.
        public var pythonMessage: String { "" }
    }

    /// Python's `queue.Full`: `put(block: false)` or `put(timeout:)` found no room.
    public struct Full: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `queue.Full()`.
        public init() {}
        /// `str(exc)`: empty, as Python raises it.
        public var description: String { "" }
        /// `type(exc).__name__`.
        public var pythonName: String { "Full" }
        /// `str(exc)`: empty.
        public var pythonMessage: String { "" }
    }
}

/// Python's built-in `TimeoutError`, which `asyncio.TimeoutError` and
/// `concurrent.futures.TimeoutError` are since 3.11 (and `socket.timeout` since 3.10): a
/// `Future` wait, `asyncio.waitFor` or `asyncio.timeout` that ran out of time (no message),
/// or a socket read of `urllib.request.urlopen` (`TimeoutError('timed out')`).
public struct TimeoutError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
    /// `str(exc)`.
    public let message: String
    /// `TimeoutError()`, or `TimeoutError(message)`.
    public init(_ message: String = "") {
        self.message = message
    }
    /// `str(exc)`: empty as asyncio raises it, `timed out` as a socket does.
    public var description: String { message }
    /// `type(exc).__name__`.
    public var pythonName: String { "TimeoutError" }
    /// `str(exc)`.
    public var pythonMessage: String { message }
}

extension concurrent.futures {
    /// Python's `concurrent.futures.CancelledError`: the result of a future cancelled before
    /// it ran (asyncio's is ``asyncio/CancelledError``, another class, as in Python).
    public struct CancelledError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `CancelledError()`.
        public init() {}
        /// `str(exc)`: empty, as Python raises it.
        public var description: String { "" }
        /// `type(exc).__name__`.
        public var pythonName: String { "CancelledError" }
        /// `str(exc)`: empty.
        public var pythonMessage: String { "" }
    }
}
