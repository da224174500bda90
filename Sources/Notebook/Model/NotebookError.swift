import SystemCalls

/// Why a notebook could not be read, run or written. Each case reads as one clear sentence;
/// the command line prefixes the file's path (and the cell, where one applies).
public enum NotebookError: Error, Equatable, CustomStringConvertible {
    /// What was wrong with the JSON text (jansson's error kinds).
    public enum JSONErrorKind: String, Sendable, Equatable {
        case syntax, truncated, trailingData, invalidUTF8, tooDeep, integerTooLarge, numberTooLarge
        case nulInKey, outOfMemory
    }

    /// A system call on `path` failed; `errno` says why (missing, no permission, disk full).
    case io(path: String, operation: FileOperation, errno: Errno)
    /// The path exists but is not a regular file: a directory, a FIFO, a device, a socket.
    case notRegularFile(path: String, isDirectory: Bool)
    /// The file is larger than nbrun reads (`NotebookFile.sizeLimit`); nothing was read.
    case tooLarge(bytes: Int, limit: Int)
    /// The file holds nothing but whitespace.
    case empty
    /// jansson refused the text; line and column are jansson's, 1-based.
    case invalidJSON(kind: JSONErrorKind, line: Int, column: Int, detail: String)
    /// The file is JSON but not an nbformat 4 notebook nbrun understands.
    case unsupportedFormat(String)
    /// The file is a v4 notebook with a part of the wrong shape; `location` names it.
    case invalidNotebook(location: String, problem: String)

    /// The sentence that follows `nbrun: PATH: `.
    public var description: String {
        switch self {
        case let .io(_, operation, errno):
            return operation.failure(errno)
        case .notRegularFile(_, let isDirectory):
            return isDirectory ? "is a directory, not a notebook file" : "is not a regular file"
        case .empty:
            return "the file is empty, not a notebook"
        case let .tooLarge(bytes, limit):
            return "the file is too large (\(Self.megabytes(bytes)); nbrun reads files up to \(Self.megabytes(limit)))"
        case let .invalidJSON(kind, line, column, detail):
            let position = line > 0 ? " at line \(line), column \(column)" : ""
            let what: String
            switch kind {
            case .syntax: what = "not valid JSON"
            case .truncated: what = "the JSON ends early (truncated file?)"
            case .trailingData: what = "unexpected data after the end of the JSON document"
            case .invalidUTF8: what = "the file is not valid UTF-8"
            case .tooDeep: what = "the JSON is nested too deeply"
            case .integerTooLarge: what = "an integer does not fit in 64 bits"
            case .numberTooLarge: what = "a number is too large"
            case .nulInKey: what = "an object key contains a NUL character"
            case .outOfMemory: what = "out of memory while parsing"
            }
            return "\(what)\(position) (\(detail))"
        case .unsupportedFormat(let problem):
            return problem
        case let .invalidNotebook(location, problem):
            return location.isEmpty ? problem : "\(location): \(problem)"
        }
    }
}

extension NotebookError {
    /// `2048 MB`: whole megabytes (MiB), as a size limit is set.
    static func megabytes(_ bytes: Int) -> String {
        "\(bytes / (1 << 20)) MB"
    }
}

/// The step of reading or writing a notebook file that failed, for `NotebookError.io`.
public enum FileOperation: Sendable, Equatable {
    case open, inspect, read
    /// Creating the temporary file a write goes to, in `directory`.
    case createTemporary(in: String)
    case write, flush, replace

    /// The sentence the command line prints (after the path).
    func failure(_ errno: Errno) -> String {
        switch self {
        case .open: errno == .noSuchFileOrDirectory ? "no such file or directory" : "cannot open: \(errno)"
        case .inspect: "cannot stat: \(errno)"
        case .read: "cannot read: \(errno)"
        case .createTemporary(let directory): "cannot write in \(directory): \(errno)"
        case .write: "cannot write: \(errno)"
        case .flush: "cannot flush to disk: \(errno)"
        case .replace: "cannot replace the file: \(errno)"
        }
    }
}
