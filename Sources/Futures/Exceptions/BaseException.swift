/// Python's `BaseException`, the root of the exception classes a port raises and catches.
///
/// Each Python exception is a subclass named as Python names it, in its module's namespace
/// (`builtins.ValueError`, `queue.Empty`, `http.client.RemoteDisconnected`), and the classes
/// follow Python's hierarchy, so `catch let error as builtins.OSError` catches a
/// `builtins.ConnectionResetError` as `except OSError` does. A port raises one with its
/// message (`throw builtins.ValueError("bad value")`); a new exception class of a course
/// subclasses ``builtins/Exception`` and inherits everything else.
///
/// Sendable because immutable: every stored property is a `let` of a Sendable type, here and
/// in every subclass.
open class BaseException: PythonNamedError, Equatable, @unchecked Sendable {
    /// The message given when it was raised (`exc.args[0]`, or empty for no argument).
    public let message: String

    /// `raise NAME(message)`, or `raise NAME()` for an exception without one.
    public init(_ message: String = "") {
        self.message = message
    }

    /// `type(exc).__name__`: the class's own name, which the naming rule makes Python's.
    open var pythonName: String { String(describing: type(of: self)) }

    /// `str(exc)`: the message, unless a subclass writes it another way.
    open var pythonMessage: String { message }

    /// The same class and the same `str(exc)`.
    public static func == (lhs: BaseException, rhs: BaseException) -> Bool {
        type(of: lhs) == type(of: rhs) && lhs.pythonName == rhs.pythonName && lhs.pythonMessage == rhs.pythonMessage
    }
}

/// Python's built-in exceptions (and functions, from `PythonRuntime`), under the module name
/// Python gives them: `builtins.ValueError`.
public enum builtins {
    /// Python's `Exception`: the base of every exception a program is meant to catch.
    open class Exception: BaseException, @unchecked Sendable {}
    /// Python's `KeyboardInterrupt`: the cell was interrupted.
    open class KeyboardInterrupt: BaseException, @unchecked Sendable {}

    /// Python's `ValueError`: the right type, but a value the operation refuses.
    open class ValueError: Exception, @unchecked Sendable {}
    /// Python's `TypeError`: an argument of the wrong type.
    open class TypeError: Exception, @unchecked Sendable {}
    /// Python's `RuntimeError`: an error that fits no other class.
    open class RuntimeError: Exception, @unchecked Sendable {}
    /// Python's `NotImplementedError`: what the look-alike does not do (a `RuntimeError`).
    open class NotImplementedError: RuntimeError, @unchecked Sendable {}
    /// Python's `AssertionError`: a failed `assert`, or a misuse CPython asserts against.
    open class AssertionError: Exception, @unchecked Sendable {}
    /// Python's `AttributeError`.
    open class AttributeError: Exception, @unchecked Sendable {}
    /// Python's `EOFError`: the other end of a pipe closed with nothing more to read.
    open class EOFError: Exception, @unchecked Sendable {}
    /// Python's `NameError`: a name not (yet) defined.
    open class NameError: Exception, @unchecked Sendable {}
    /// Python's `LookupError`: the base of `IndexError` and `KeyError`.
    open class LookupError: Exception, @unchecked Sendable {}
    /// Python's `IndexError`: a sequence index out of range.
    open class IndexError: LookupError, @unchecked Sendable {}
    /// Python's `KeyError`; its message is the key's `repr` (`'words'`), as `str(exc)` shows it.
    open class KeyError: LookupError, @unchecked Sendable {}
    /// Python's `ArithmeticError`: the base of `ZeroDivisionError`.
    open class ArithmeticError: Exception, @unchecked Sendable {}
    /// Python's `ZeroDivisionError`.
    open class ZeroDivisionError: ArithmeticError, @unchecked Sendable {}

    /// Python's `ExceptionGroup` as `asyncio.TaskGroup` raises it: its message and the errors
    /// of the tasks that failed, in the order they failed.
    open class ExceptionGroup: Exception, @unchecked Sendable {
        /// `eg.exceptions`.
        public let exceptions: [any Error]

        /// `ExceptionGroup(message, exceptions)`.
        public init(_ message: String, _ exceptions: [any Error]) {
            self.exceptions = exceptions
            super.init(message)
        }

        /// `str(eg)`: `unhandled errors in a TaskGroup (2 sub-exceptions)`.
        open override var pythonMessage: String {
            "\(message) (\(exceptions.count) sub-exception\(exceptions.count == 1 ? "" : "s"))"
        }
    }
}

/// An exception of a class that has no Swift type here (a notebook's own `class MyError`),
/// carried by its Python name and message: what a worker process's raise of it becomes in the
/// parent, and what a port raises for such a class. Python's name for it is `name`.
public final class PythonError: builtins.Exception, @unchecked Sendable {
    /// `type(exc).__name__`, e.g. `MyError`.
    public let name: String

    /// `raise NAME(message)` for a class without a Swift type.
    public init(_ name: String, _ message: String) {
        self.name = name
        super.init(message)
    }

    /// `name`.
    public override var pythonName: String { name }
}
