import Futures
import Processes

extension http.client {
    /// Python's `http.client.HTTPException`: the base of `http.client`'s own errors.
    open class HTTPException: builtins.Exception, @unchecked Sendable {}
    /// Python's `http.client.IncompleteRead`: the body ended before its announced length
    /// (`IncompleteRead(5 bytes read, 3 more expected)`).
    public final class IncompleteRead: HTTPException, @unchecked Sendable {}
    /// Python's `http.client.InvalidURL`: a URL `http.client` cannot use (`nonnumeric port`).
    public final class InvalidURL: HTTPException, @unchecked Sendable {}
    /// Python's `http.client.BadStatusLine`: the server's status line is not HTTP's; its
    /// message is the line's `repr`.
    open class BadStatusLine: HTTPException, @unchecked Sendable {}
    /// Python's `http.client.RemoteDisconnected`: the server closed the connection before
    /// answering. Python makes it both a `ConnectionResetError` and a `BadStatusLine`; here it
    /// is the first, so `catch let error as builtins.ConnectionError` catches it.
    public final class RemoteDisconnected: builtins.ConnectionResetError, @unchecked Sendable {}
}

extension io {
    /// Python's `io.UnsupportedOperation`: a read from a file opened for writing, or the
    /// reverse. Python makes it both an `OSError` and a `ValueError`; here it is an `OSError`.
    public final class UnsupportedOperation: builtins.OSError, @unchecked Sendable {}
}

/// PythonRuntime's exception classes, made again as the same class when a worker raises one
/// (registered once, by the first interpreter; the built-ins are known to Futures).
let runtimeExceptionsRegistered: Void = PythonExceptions.register([
    { http.client.HTTPException($0) }, { http.client.IncompleteRead($0) }, { http.client.InvalidURL($0) },
    { http.client.BadStatusLine($0) }, { http.client.RemoteDisconnected($0) }, { io.UnsupportedOperation($0) },
    { asyncio.CancelledError($0) }, { asyncio.InvalidStateError($0) }, { asyncio.QueueEmpty($0) },
    { asyncio.QueueFull($0) }, { threading.BrokenBarrierError($0) }, { json.JSONDecodeError(reading: $0) },
])
