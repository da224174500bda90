import SystemCalls

extension builtins {
    /// Python's `OSError`: a failed system call (`errno`, `strerror`, `filename`), or an I/O
    /// error raised with a message. Its subclasses are the ones CPython picks for an errno, so
    /// `catch let error as builtins.ConnectionError` catches a reset or a broken pipe.
    open class OSError: Exception, @unchecked Sendable {
        /// `exc.errno`, or nil when raised with a message alone.
        public let errno: Int32?
        /// `exc.strerror`: the C library's text for `errno`.
        public let strerror: String?
        /// `exc.filename`: the file the call was about, if any.
        public let filename: String?

        /// `OSError(message)`.
        public override init(_ message: String = "") {
            (errno, strerror, filename) = (nil, nil, nil)
            super.init(message)
        }

        /// `OSError(errno, strerror, filename)`: `str(exc)` is `[Errno 2] No such file or
        /// directory: 'data.txt'`. ``forErrno(_:filename:)`` picks the subclass as CPython does.
        public init(errno: Int32, strerror: String, filename: String? = nil) {
            (self.errno, self.strerror, self.filename) = (errno, strerror, filename)
            super.init("[Errno \(errno)] \(strerror)" + (filename.map { ": " + SystemCallError.pythonRepr($0) } ?? ""))
        }

        /// The exception CPython raises for `errno`: `OSError(errno, strerror)` is an instance
        /// of the subclass its errno map names (`EPIPE` is a ``BrokenPipeError``), with the C
        /// library's text as `strerror`.
        public static func forErrno(_ errno: Int32, filename: String? = nil) -> OSError {
            let code = Errno(rawValue: errno)
            let make: (Int32, String, String?) -> OSError =
                switch code.pythonExceptionName {
                case "BlockingIOError": BlockingIOError.init
                case "ChildProcessError": ChildProcessError.init
                case "BrokenPipeError": BrokenPipeError.init
                case "ConnectionAbortedError": ConnectionAbortedError.init
                case "ConnectionRefusedError": ConnectionRefusedError.init
                case "ConnectionResetError": ConnectionResetError.init
                case "FileExistsError": FileExistsError.init
                case "FileNotFoundError": FileNotFoundError.init
                case "IsADirectoryError": IsADirectoryError.init
                case "NotADirectoryError": NotADirectoryError.init
                case "InterruptedError": InterruptedError.init
                case "PermissionError": PermissionError.init
                case "ProcessLookupError": ProcessLookupError.init
                case "TimeoutError": TimeoutError.init
                default: OSError.init
                }
            return make(errno, code.description, filename)
        }
    }

    /// Python's `BlockingIOError`: a non-blocking call would have had to wait.
    open class BlockingIOError: OSError, @unchecked Sendable {}
    /// Python's `ChildProcessError`: no such child to wait for.
    open class ChildProcessError: OSError, @unchecked Sendable {}
    /// Python's `ConnectionError`: the base of the four connection errors.
    open class ConnectionError: OSError, @unchecked Sendable {}
    /// Python's `BrokenPipeError`: a write to a pipe or socket whose reader is gone.
    open class BrokenPipeError: ConnectionError, @unchecked Sendable {}
    /// Python's `ConnectionAbortedError`.
    open class ConnectionAbortedError: ConnectionError, @unchecked Sendable {}
    /// Python's `ConnectionRefusedError`: nothing listens on the port.
    open class ConnectionRefusedError: ConnectionError, @unchecked Sendable {}
    /// Python's `ConnectionResetError`: the peer reset the connection.
    open class ConnectionResetError: ConnectionError, @unchecked Sendable {}
    /// Python's `FileExistsError`.
    open class FileExistsError: OSError, @unchecked Sendable {}
    /// Python's `FileNotFoundError`.
    open class FileNotFoundError: OSError, @unchecked Sendable {}
    /// Python's `IsADirectoryError`.
    open class IsADirectoryError: OSError, @unchecked Sendable {}
    /// Python's `NotADirectoryError`.
    open class NotADirectoryError: OSError, @unchecked Sendable {}
    /// Python's `InterruptedError`: a call interrupted by a signal.
    open class InterruptedError: OSError, @unchecked Sendable {}
    /// Python's `PermissionError`.
    open class PermissionError: OSError, @unchecked Sendable {}
    /// Python's `ProcessLookupError`: no such process.
    open class ProcessLookupError: OSError, @unchecked Sendable {}
    /// Python's `TimeoutError`, which `asyncio.TimeoutError` and `concurrent.futures.TimeoutError`
    /// are since 3.11 (and `socket.timeout` since 3.10): a `Future` wait, `asyncio.waitFor` or
    /// `asyncio.timeout` that ran out of time (no message), or a socket read (`timed out`).
    open class TimeoutError: OSError, @unchecked Sendable {}
}

extension SystemCallError {
    /// The exception a port sees for this failure: the `OSError` subclass CPython raises for
    /// the errno, with the same `str(exc)` (`[Errno 32] Broken pipe`).
    public var pythonException: builtins.OSError {
        builtins.OSError.forErrno(errno.rawValue, filename: path)
    }
}

/// A failed system call is the `OSError` CPython raises for its errno (`BrokenPipeError`,
/// `[Errno 32] Broken pipe`); a port catches it as that class through ``pythonException``.
extension SystemCallError: PythonNamedError {
    /// The `OSError` subclass CPython raises for the errno (`BrokenPipeError`).
    public var pythonName: String { pythonExceptionName }
}

/// Runs `body`, turning a failed system call into the `OSError` subclass CPython raises, so a
/// port's `catch let error as builtins.OSError` sees it.
package func raisingOSError<R>(_ body: () throws -> R) throws -> R {
    do {
        return try body()
    } catch let error as SystemCallError {
        throw error.pythonException
    }
}
