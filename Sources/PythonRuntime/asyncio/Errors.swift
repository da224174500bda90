import Futures

/// `asyncio.CancelledError`: thrown once, at the `await` where a cancelled task was
/// suspended (`task.cancel(msg)` gives it its message). A coroutine may catch it, clean up,
/// and even `await` again; a task whose coroutine lets it escape ends up cancelled.
public struct CancelledError: Error, Sendable, CustomStringConvertible, PythonNamedError {
    /// The `msg` given to `cancel`, if any (`exc.args`).
    public let message: String?

    /// `asyncio.CancelledError(msg)`.
    public init(_ message: String? = nil) {
        self.message = message
    }

    /// `str(exc)`: the message, or empty.
    public var description: String { message ?? "" }
    /// `type(exc).__name__`.
    public var pythonName: String { "CancelledError" }
    /// `str(exc)`.
    public var pythonMessage: String { description }
}

/// Python's `TimeoutError` (asyncio's, since 3.11, and `socket.timeout`'s, since 3.10),
/// raised by `asyncio.waitFor` and `asyncio.timeout` without a message, and by a socket read
/// of `urllib.request.urlopen` as `TimeoutError('timed out')`.
public struct TimeoutError: Error, Sendable, CustomStringConvertible, PythonNamedError {
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

/// `asyncio.InvalidStateError`: a future's result asked for too early, or set twice.
public struct InvalidStateError: Error, Sendable, CustomStringConvertible, PythonNamedError {
    /// CPython's message, e.g. `Result is not set.`
    public let message: String

    /// `asyncio.InvalidStateError(message)`.
    public init(_ message: String) {
        self.message = message
    }

    /// `str(exc)`.
    public var description: String { message }
    /// `type(exc).__name__`.
    public var pythonName: String { "InvalidStateError" }
    /// `str(exc)`.
    public var pythonMessage: String { message }
}

/// Python's `ExceptionGroup` as `asyncio.TaskGroup` raises it: its message and the errors
/// of the tasks that failed, in the order they failed.
public struct ExceptionGroup: Error, Sendable, CustomStringConvertible, PythonNamedError {
    /// `eg.message`.
    public let message: String
    /// `eg.exceptions`.
    public let exceptions: [any Error]

    /// `ExceptionGroup(message, exceptions)`.
    public init(_ message: String, _ exceptions: [any Error]) {
        self.message = message
        self.exceptions = exceptions
    }

    /// `str(eg)`: "unhandled errors in a TaskGroup (2 sub-exceptions)".
    public var description: String {
        "\(message) (\(exceptions.count) sub-exception\(exceptions.count == 1 ? "" : "s"))"
    }

    /// `type(eg).__name__`.
    public var pythonName: String { "ExceptionGroup" }
    /// `str(eg)`.
    public var pythonMessage: String { description }
}

/// `asyncio.QueueEmpty`, from `asyncio.Queue.getNowait` on an empty queue.
public struct QueueEmpty: Error, Sendable, CustomStringConvertible, PythonNamedError {
    /// `asyncio.QueueEmpty()`.
    public init() {}
    /// `str(exc)`: empty, as Python raises it.
    public var description: String { "" }
    /// `type(exc).__name__`.
    public var pythonName: String { "QueueEmpty" }
    /// `str(exc)`: empty.
    public var pythonMessage: String { "" }
}

/// `asyncio.QueueFull`, from `asyncio.Queue.putNowait` on a full queue.
public struct QueueFull: Error, Sendable, CustomStringConvertible, PythonNamedError {
    /// `asyncio.QueueFull()`.
    public init() {}
    /// `str(exc)`: empty, as Python raises it.
    public var description: String { "" }
    /// `type(exc).__name__`.
    public var pythonName: String { "QueueFull" }
    /// `str(exc)`: empty.
    public var pythonMessage: String { "" }
}
