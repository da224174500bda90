import SystemCalls

/// An error a port raises the way the Python cell raises an exception: `ename` is the
/// Python exception class (`ValueError`), `evalue` its message.
///
/// Errors thrown in a worker process come back to the parent as a `PythonError`, so
/// `type(exc).__name__` and `str(exc)` survive the trip (see `pythonExceptionName(of:)`).
public struct PythonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception's class name, e.g. `ValueError` (a Jupyter error output's `ename`).
    public let ename: String
    /// The exception's message, `str(exc)` (the output's `evalue`).
    public let evalue: String

    /// `raise ENAME(EVALUE)`: a port throws it where its cell raises.
    public init(_ ename: String, _ evalue: String) {
        self.ename = ename
        self.evalue = evalue
    }

    /// What `str(exc)` prints in Python: the message alone.
    public var description: String { evalue }
}

/// An error that knows the Python exception it stands for.
public protocol PythonNamedError: Error {
    /// `type(exc).__name__`, e.g. `BrokenProcessPool`.
    var pythonName: String { get }
    /// `str(exc)`.
    var pythonMessage: String { get }
}

extension PythonError: PythonNamedError {
    /// `ename`.
    public var pythonName: String { ename }
    /// `evalue`.
    public var pythonMessage: String { evalue }
}

/// A failed system call is the `OSError` CPython raises for its errno (`BrokenPipeError`,
/// `[Errno 32] Broken pipe`).
extension SystemCallError: PythonNamedError {
    /// The `OSError` subclass CPython raises for the errno (`BrokenPipeError`).
    public var pythonName: String { pythonExceptionName }
}

/// `type(exc).__name__` for any error a port can see: the Python name when the error has one,
/// else the Swift type's name.
public func pythonExceptionName(of error: any Error) -> String {
    (error as? any PythonNamedError)?.pythonName ?? String(describing: type(of: error))
}

/// `str(exc)` for any error: the Python message when the error has one, else its description.
public func pythonExceptionMessage(of error: any Error) -> String {
    (error as? any PythonNamedError)?.pythonMessage ?? String(describing: error)
}
