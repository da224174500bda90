/// Errors raised by futures and executors themselves (a task's own errors are rethrown unchanged).
///
/// Mirrors Python's `concurrent.futures.TimeoutError`, `CancelledError`, and the
/// `RuntimeError('cannot schedule new futures after shutdown')` raised by `submit`.
public enum FuturesError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A timeout passed before the awaited future(s) finished (Python: `TimeoutError`).
    case timeout
    /// The future was cancelled before it ran (Python: `CancelledError`).
    case cancelled
    /// Work was submitted after `shutdown` (Python: `RuntimeError` from `submit`).
    case shutdown

    /// The message, as Python's `str(exc)` would read.
    public var description: String {
        switch self {
        case .timeout: "timed out waiting for a future"
        case .cancelled: "the future was cancelled"
        case .shutdown: "cannot schedule new futures after shutdown"
        }
    }
}
