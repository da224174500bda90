/// Python's `concurrent` package: its one module, `concurrent.futures`, lives here.
///
/// A port finds each look-alike under its Python module and its Python name, as Python's own
/// documentation shows it: `concurrent.futures.ThreadPoolExecutor`, `concurrent.futures.wait`.
public enum concurrent {
    /// Python's `concurrent.futures`: ``ThreadPoolExecutor``, ``Future``, ``wait(_:timeout:returnWhen:)``,
    /// ``asCompleted(_:)`` (and `ProcessPoolExecutor`, from the `Processes` module).
    public enum futures {
        /// Python's `concurrent.futures.TimeoutError`, the built-in ``builtins/TimeoutError`` since 3.11.
        public typealias TimeoutError = builtins.TimeoutError
    }
}

/// Python's `queue` module: its exceptions here, its queues (`queue.Queue`, ...) in
/// `PythonRuntime`; `multiprocessing.Queue` raises the same ``Empty``.
public enum queue {
    /// Python's `queue.Empty`: `get(block: false)` or `get(timeout:)` found nothing (raised
    /// without a message).
    public final class Empty: builtins.Exception, @unchecked Sendable {}

    /// Python's `queue.Full`: `put(block: false)` or `put(timeout:)` found no room (raised
    /// without a message).
    public final class Full: builtins.Exception, @unchecked Sendable {}
}

extension concurrent.futures {
    /// Python's `concurrent.futures.CancelledError`: the result of a future cancelled before
    /// it ran (asyncio's is `asyncio.CancelledError`, another class, as in Python).
    public final class CancelledError: builtins.Exception, @unchecked Sendable {}
}
