/// Python's exception classes by their qualified name (`builtins.ValueError`,
/// `queue.Empty`), so an exception raised in a worker process comes back to the parent as
/// the same class and the same `catch` works for a local and a remote raise.
///
/// The built-ins and Futures' own classes are known from the start; the modules above add
/// theirs (`register`) before they start workers. A name without a class (a notebook's own
/// exception) comes back as a ``PythonError`` with that name and message.
package enum PythonExceptions {
    /// Makes the exception of one class with a message.
    package typealias Maker = @Sendable (String) -> BaseException

    /// The makers registered so far, and the table by qualified name once a worker's error
    /// needed it. Naming a class takes reflection (tens of microseconds each), so it waits for
    /// the first error that crosses, not the first interpreter a cell starts.
    private static let registry = Locked<(makers: [Maker], table: [String: Maker]?)>((futuresClasses, nil))

    private static let futuresClasses: [Maker] = [
        { BaseException($0) }, { builtins.Exception($0) }, { builtins.KeyboardInterrupt($0) },
        { builtins.ValueError($0) }, { builtins.TypeError($0) }, { builtins.RuntimeError($0) },
        { builtins.NotImplementedError($0) }, { builtins.AssertionError($0) }, { builtins.AttributeError($0) },
        { builtins.EOFError($0) }, { builtins.NameError($0) }, { builtins.LookupError($0) },
        { builtins.IndexError($0) }, { builtins.KeyError($0) }, { builtins.ArithmeticError($0) },
        { builtins.ZeroDivisionError($0) }, { builtins.OSError($0) }, { builtins.BlockingIOError($0) },
        { builtins.ChildProcessError($0) }, { builtins.ConnectionError($0) }, { builtins.BrokenPipeError($0) },
        { builtins.ConnectionAbortedError($0) }, { builtins.ConnectionRefusedError($0) },
        { builtins.ConnectionResetError($0) }, { builtins.FileExistsError($0) }, { builtins.FileNotFoundError($0) },
        { builtins.IsADirectoryError($0) }, { builtins.NotADirectoryError($0) }, { builtins.InterruptedError($0) },
        { builtins.PermissionError($0) }, { builtins.ProcessLookupError($0) }, { builtins.TimeoutError($0) },
        { _ in queue.Empty() }, { _ in queue.Full() }, { _ in concurrent.futures.CancelledError() },
    ]

    private static func table(_ makers: [Maker]) -> [String: Maker] {
        Dictionary(makers.map { (qualifiedName(of: $0("")), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The maker of the class named `qualifiedName`, the table made on first need.
    private static func maker(of qualifiedName: String) -> Maker? {
        registry.withLock { registry in
            let table = registry.table ?? table(registry.makers)
            registry.table = table
            return table[qualifiedName]
        }
    }

    /// Adds a module's exception classes (each made by its maker from a message).
    package static func register(_ makers: [Maker]) {
        registry.withLock { registry in
            registry.makers += makers
            registry.table = nil
        }
    }

    /// The Python path of an exception's class under the naming rule: its Swift path without
    /// the Swift module (`Futures.builtins.ValueError` is `builtins.ValueError`).
    package static func qualifiedName(of error: any Error) -> String {
        let path = String(reflecting: type(of: error))
        guard let dot = path.firstIndex(of: ".") else { return path }
        return String(path[path.index(after: dot)...])
    }

    /// The exception a worker raised, as the parent raises it again: the class of
    /// `qualifiedName` when there is one, else a ``PythonError`` of `name`.
    package static func make(qualifiedName: String, name: String, message: String) -> BaseException {
        if let make = maker(of: qualifiedName) {
            let error = make(message)
            if error is builtins.OSError, let withErrno = osError(name: name, message: message) { return withErrno }
            // The class made again must read as the worker's did: a message that does not
            // parse back (a JSONDecodeError's fields) keeps name and message as sent.
            if error.pythonName == name && error.pythonMessage == message { return error }
        }
        return PythonError(name, message)
    }

    /// An `OSError` raised for an errno (`[Errno 32] Broken pipe`, `...: 'data.txt'`) made again
    /// with its `errno`, `strerror` and `filename`, when the message reads back exactly.
    private static func osError(name: String, message: String) -> builtins.OSError? {
        guard message.hasPrefix("[Errno "), let close = message.firstIndex(of: "]"),
            let errno = Int32(message[message.index(message.startIndex, offsetBy: 7)..<close])
        else { return nil }
        let plain = builtins.OSError.forErrno(errno)
        var filename: String?
        if message.count > plain.message.count, message.hasPrefix(plain.message + ": '"), message.hasSuffix("'") {
            filename = String(message.dropFirst(plain.message.count + 3).dropLast())
        }
        let error = builtins.OSError.forErrno(errno, filename: filename)
        return error.pythonName == name && error.message == message ? error : nil
    }
}
