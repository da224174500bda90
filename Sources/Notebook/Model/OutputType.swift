/// A code cell output's `output_type`. nbformat 4 knows four; `other` keeps any other name
/// as it was written, so code can match on the type without comparing strings.
public enum OutputType: Sendable, Hashable, CustomStringConvertible {
    case stream, displayData, executeResult, error
    case other(String)

    /// The type named as in the file's `output_type`.
    public init(_ name: String) {
        switch name {
        case "stream": self = .stream
        case "display_data": self = .displayData
        case "execute_result": self = .executeResult
        case "error": self = .error
        default: self = .other(name)
        }
    }

    /// The name as nbformat writes it.
    public var name: String {
        switch self {
        case .stream: "stream"
        case .displayData: "display_data"
        case .executeResult: "execute_result"
        case .error: "error"
        case .other(let name): name
        }
    }

    /// The name as in the file.
    public var description: String { name }

    /// One of the four types of nbformat 4.
    public var isKnown: Bool {
        if case .other = self { return false }
        return true
    }

    /// `display_data` and `execute_result` carry a mime bundle under `data`.
    public var carriesMimeBundle: Bool { self == .displayData || self == .executeResult }
}
