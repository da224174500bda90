import Foundation
import Futures
import SystemCalls

extension builtins {
    /// Python's `open(file, mode='r', encoding=None)` in text mode: `r`, `w`, `a` or `x` (with an
    /// optional `t`). A relative `file` resolves against the notebook's folder, where nbclient
    /// runs the kernel (`PyInterpreter.notebookFolder`), not nbrun's working directory. A file
    /// that cannot be opened is CPython's `OSError` subclass and message
    /// (`FileNotFoundError: [Errno 2] No such file or directory: 'data.txt'`).
    public static func open(_ file: String, _ mode: String = "r", encoding: String? = nil) throws
        -> io.TextIOWrapper
    {
        let flags: Int32
        switch mode.replacingOccurrences(of: "t", with: "") {
        case "r": flags = O_RDONLY
        case "w": flags = O_WRONLY | O_CREAT | O_TRUNC
        case "a": flags = O_WRONLY | O_CREAT | O_APPEND
        case "x": flags = O_WRONLY | O_CREAT | O_EXCL
        case let other where other.contains("b") || other.contains("+"):
            throw builtins.NotImplementedError("open(mode=\(PyValue.str(mode).repr)): only text modes r, w, a, x")
        default: throw builtins.ValueError("invalid mode: \(PyValue.str(mode).repr)")
        }
        if let encoding, !["utf-8", "utf8"].contains(encoding.lowercased()) {
            throw builtins.NotImplementedError("open(encoding=\(PyValue.str(encoding).repr)): only UTF-8")
        }
        func failure(_ error: Errno) -> builtins.OSError {
            builtins.OSError.forErrno(error.rawValue, filename: file)
        }
        let descriptor = Glibc.open(os.path.resolve(file), flags | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure(Errno.current) }
        // A folder opens for reading on Linux; CPython checks and refuses it, as here.
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            Syscall.closeIgnoringErrors(descriptor)
            throw failure(Errno.isDirectory)
        }
        return try io.TextIOWrapper(descriptor: descriptor, name: file, mode: mode, writing: flags != O_RDONLY)
    }
}

/// Python's `io` module, for what `builtins.open` returns.
public enum io {
    /// A file opened in text mode (Python's `_io.TextIOWrapper`): a file read whole at `open`
    /// (lines split as text mode reads them: `\r\n` and `\r` become `\n`), or one written when
    /// it is closed, as Python's buffer is flushed. Use it as `with open(...) as f:` does:
    /// `try builtins.open("data.txt").with { f in ... }`.
    public final class TextIOWrapper: @unchecked Sendable {
        // @unchecked: used by one thread at a time, as a Python file object is.
        /// The name given to `open`.
        public let name: String
        /// `f.mode`: the mode given to `open`, e.g. `w`.
        public let mode: String
        private var descriptor: Int32
        private let writing: Bool
        private var text: Substring = ""
        private var pending = ""

        init(descriptor: Int32, name: String, mode: String, writing: Bool) throws {
            self.descriptor = descriptor
            self.name = name
            self.mode = mode
            self.writing = writing
            if !writing {
                let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
                let data = (try? handle.readToEnd()) ?? Data()
                let decoded = String(decoding: data, as: UTF8.self)
                text = Substring(
                    decoded.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
            }
        }

        deinit { try? close() }

        /// Python: `closed`.
        public var closed: Bool { descriptor < 0 }

        /// Python: `read()`: the rest of the file.
        public func read() throws -> String {
            try checkReadable()
            defer { text = text[text.endIndex...] }
            return String(text)
        }

        /// Python: `readline()`: the next line with its `\n`; `""` at the end.
        public func readline() throws -> String {
            try checkReadable()
            guard let newline = text.firstIndex(of: "\n") else { return try read() }
            defer { text = text[text.index(after: newline)...] }
            return String(text[...newline])
        }

        /// Python: `readlines()`.
        public func readlines() throws -> [String] {
            var lines: [String] = []
            while case let line = try readline(), !line.isEmpty { lines.append(line) }
            return lines
        }

        /// Python: `write(s)`: the number of characters written.
        @discardableResult
        public func write(_ string: String) throws -> Int {
            try checkOpen()
            guard writing else { throw io.UnsupportedOperation("not writable") }
            pending += string
            return string.count
        }

        /// Python: `close()`: writes what was written and closes the file; again is no error.
        public func close() throws {
            guard descriptor >= 0 else { return }
            defer {
                Syscall.closeIgnoringErrors(descriptor)
                descriptor = -1
            }
            if writing, !pending.isEmpty {
                try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: Data(pending.utf8))
                pending = ""
            }
        }

        /// `with open(...) as f: body`: closes the file however `body` ends.
        public func with<R>(_ body: (TextIOWrapper) throws -> R) throws -> R {
            defer { try? close() }
            return try body(self)
        }

        private func checkOpen() throws {
            if closed { throw builtins.ValueError("I/O operation on closed file.") }
        }

        private func checkReadable() throws {
            try checkOpen()
            if writing { throw io.UnsupportedOperation("not readable") }
        }
    }
}

extension io.TextIOWrapper: Sequence {
    /// `for line in f:` (each line with its `\n`).
    public func makeIterator() -> AnyIterator<String> {
        AnyIterator { [self] in
            guard let line = try? readline(), !line.isEmpty else { return nil }
            return line
        }
    }
}
