/// An nbformat 4 notebook. Everything nbrun does not interpret is kept as it was read
/// (`metadata`, `extra`), so a read followed by a write loses nothing.
public struct Notebook: Sendable, Equatable {
    /// `nbformat`: the major version, 4.
    public var nbformat: Int64
    /// `nbformat_minor`.
    public var nbformatMinor: Int64
    /// The notebook's `metadata`, keys in file order.
    public var metadata: JSONObject
    /// The cells, in order.
    public var cells: [Cell]
    /// Top-level keys other than `nbformat`, `nbformat_minor`, `metadata` and `cells`.
    public var extra: JSONObject

    /// A notebook with these parts.
    public init(
        nbformat: Int64 = 4, nbformatMinor: Int64 = 5, metadata: JSONObject = JSONObject(),
        cells: [Cell] = [], extra: JSONObject = JSONObject()
    ) {
        self.nbformat = nbformat
        self.nbformatMinor = nbformatMinor
        self.metadata = metadata
        self.cells = cells
        self.extra = extra
    }

    /// Cells carry ids from nbformat 4.5 on.
    public var usesCellIDs: Bool { nbformat > 4 || nbformatMinor >= 5 }

    /// The newest `nbformat_minor` nbformat knows (5.11 writes 4.5). A notebook from a newer
    /// minor version may hold cell and output types added since: nbformat's schema admits
    /// them there only ("unrecognized" cells and outputs), and so does nbrun.
    public static let newestKnownMinor: Int64 = 5
}

/// A cell's `cell_type`. nbformat 4 knows three; `other` keeps a type from a newer minor
/// version as it was written: such a cell is read, kept and written back, never run.
public enum CellType: Sendable, Hashable, CustomStringConvertible {
    case code, markdown, raw
    case other(String)

    /// The type named as in the file's `cell_type`.
    public init(_ name: String) {
        switch name {
        case "code": self = .code
        case "markdown": self = .markdown
        case "raw": self = .raw
        default: self = .other(name)
        }
    }

    /// The name as nbformat writes it.
    public var name: String {
        switch self {
        case .code: "code"
        case .markdown: "markdown"
        case .raw: "raw"
        case .other(let name): name
        }
    }

    /// The name as in the file.
    public var description: String { name }

    /// One of the three types of nbformat 4.5.
    public var isKnown: Bool {
        if case .other = self { return false }
        return true
    }
}

/// One cell: its type, id, metadata, source and (for a code cell) outputs.
public struct Cell: Sendable, Equatable {
    /// `cell_type`.
    public var type: CellType
    /// `id` (nbformat 4.5), absent in older notebooks.
    public var id: String?
    /// The cell's `metadata`, keys in file order.
    public var metadata: JSONObject
    /// The source as one string (lists of lines are joined on read, as nbformat does).
    public var source: String
    /// Code cells only; `nil` when the key is absent.
    public var outputs: [Output]?
    /// Code cells: `.int(n)` or `.null`; `nil` when the key is absent.
    public var executionCount: JSONValue?
    /// Markdown and raw cells: attachments, each a mime bundle, kept as read (lines rejoined).
    public var attachments: JSONValue?
    /// Any other key of the cell object.
    public var extra: JSONObject
    /// A cell of a newer minor version's type may have no `source` at all; it is written
    /// back without one unless a source has been given to it since.
    var sourceIsAbsent = false

    /// A cell with these parts.
    public init(
        type: CellType, id: String? = nil, metadata: JSONObject = JSONObject(), source: String,
        outputs: [Output]? = nil, executionCount: JSONValue? = nil, attachments: JSONValue? = nil,
        extra: JSONObject = JSONObject()
    ) {
        self.type = type
        self.id = id
        self.metadata = metadata
        self.source = source
        self.outputs = outputs ?? (type == .code ? [] : nil)
        self.executionCount = executionCount ?? (type == .code ? .null : nil)
        self.attachments = attachments
        self.extra = extra
    }

    /// The cell's `metadata.tags`, where they are strings.
    public var tags: [String] {
        metadata["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// The source's first line, without its line break.
    public var firstSourceLine: String {
        // The first non-empty line, without splitting the whole source.
        let text = source.drop(while: \.isNewline)
        return String(text.prefix { !$0.isNewline })
    }
}

/// One output of a code cell: its `output_type` and the rest of its members, with
/// multi-line text already rejoined into single strings.
public struct Output: Sendable, Equatable {
    /// `output_type`.
    public var outputType: OutputType
    /// The fields other than `output_type`, in file order.
    public var fields: JSONObject

    /// An output of this type with these fields.
    public init(outputType: OutputType, fields: JSONObject = JSONObject()) {
        self.outputType = outputType
        self.fields = fields
    }

    /// A `stream` output (`name` is `stdout` or `stderr`).
    public static func stream(name: String, text: String) -> Output {
        Output(outputType: .stream, fields: JSONObject([("name", .string(name)), ("text", .string(text))]))
    }

    /// An `error` output, as a kernel reports an uncaught exception.
    public static func error(ename: String, evalue: String, traceback: [String]) -> Output {
        Output(
            outputType: .error,
            fields: JSONObject([
                ("ename", .string(ename)),
                ("evalue", .string(evalue)),
                ("traceback", .array(traceback.map(JSONValue.string))),
            ]))
    }

    /// Stream outputs: the stream's name and text.
    public var stream: (name: String, text: String)? {
        guard outputType == .stream, let name = fields["name"]?.stringValue,
            let text = fields["text"]?.stringValue
        else { return nil }
        return (name, text)
    }
}
