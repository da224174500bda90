/// Why a notebook could not be read, run or written. Each case reads as one clear sentence;
/// the command line prefixes the file's path (and the cell, where one applies).
public enum NotebookError: Error, Equatable, CustomStringConvertible {
    public enum JSONErrorKind: String, Sendable, Equatable {
        case syntax, truncated, trailingData, invalidUTF8, tooDeep, integerTooLarge, numberTooLarge
        case nulInKey, outOfMemory
    }

    /// The path cannot be read or written: missing, a directory, no permission, disk full.
    case io(String)
    /// The file holds nothing but whitespace.
    case empty
    /// jansson refused the text; line and column are jansson's, 1-based.
    case invalidJSON(kind: JSONErrorKind, line: Int, column: Int, detail: String)
    /// The file is JSON but not an nbformat 4 notebook nbrun understands.
    case unsupportedFormat(String)
    /// The file is a v4 notebook with a part of the wrong shape; `location` names it.
    case invalidNotebook(location: String, problem: String)

    public var description: String {
        switch self {
        case .io(let reason):
            return reason
        case .empty:
            return "the file is empty, not a notebook"
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
