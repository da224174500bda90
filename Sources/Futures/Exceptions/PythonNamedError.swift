/// An error that knows the Python exception it stands for: what a cell's error output shows
/// (`ename`, `evalue`) and what a port's `catch` sees.
///
/// A conforming type states its message; its Python name is its Swift type's name by default
/// (`builtins.ValueError` is `ValueError`), and `description` is the message, as `str(exc)`.
/// Python's own exceptions are the classes under ``BaseException``; this protocol also
/// covers errors that are not classes, such as a failed system call.
public protocol PythonNamedError: Error, CustomStringConvertible {
    /// `type(exc).__name__`, e.g. `BrokenProcessPool`.
    var pythonName: String { get }
    /// `str(exc)`.
    var pythonMessage: String { get }
}

extension PythonNamedError {
    /// `type(exc).__name__`: the Swift type's own name, which the naming rule makes Python's.
    public var pythonName: String { String(describing: type(of: self)) }
    /// `str(exc)`.
    public var description: String { pythonMessage }
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
