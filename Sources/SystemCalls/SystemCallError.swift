/// A failed system call: which call, the `Errno` it left, and the path it was given, if any.
///
/// A port sees it as CPython's `OSError`: `pythonExceptionName` is the subclass CPython picks
/// for the number (`BrokenPipeError`), `pythonMessage` what `str(exc)` prints
/// (`[Errno 32] Broken pipe`, or `[Errno 2] No such file or directory: 'x.ipynb'`).
/// `description` names the call too, for nbrun's own messages (`socketpair: Too many open files`).
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The libc call that failed, e.g. `"ftruncate"`.
    public let call: String
    /// Why it failed.
    public let errno: Errno
    /// The file the call was about, shown as Python shows `OSError.filename`.
    public let path: String?

    /// `call` failed with `errno` (on `path`, if it was about a file).
    public init(_ call: String, _ errno: Errno, path: String? = nil) {
        self.call = call
        self.errno = errno
        self.path = path
    }

    /// The calling thread's `errno` just after `call` failed.
    public static func current(_ call: String, path: String? = nil) -> SystemCallError {
        SystemCallError(call, .current, path: path)
    }

    /// The call, the path if any, and the reason: `socketpair: Too many open files`.
    public var description: String {
        "\(call)\(path.map { " \($0)" } ?? ""): \(errno)"
    }

    /// `type(exc).__name__` of the `OSError` CPython would raise.
    public var pythonExceptionName: String { errno.pythonExceptionName }

    /// `str(exc)` of that `OSError`: `[Errno N] text`, then `: 'path'` when there is one.
    public var pythonMessage: String {
        let base = "[Errno \(errno.rawValue)] \(errno)"
        guard let path else { return base }
        return "\(base): \(Self.pythonRepr(path))"
    }

    /// Python's `repr` of a str, as `OSError.__str__` shows the filename (quotes chosen as
    /// Python does; backslashes, control characters and the quote escaped).
    package static func pythonRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(scalar) == quote: out += "\\\(quote)"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append(quote)
        return out
    }
}
