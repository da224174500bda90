/// Turns a parsed JSON document into a `Notebook`, checking the structure nbrun relies on
/// and undoing nbformat's line splitting (`rejoin_lines`) and transient keys
/// (`strip_transient`), exactly as `nbformat.read` does.
extension Notebook {
    /// Reads an nbformat 4 notebook from its JSON; a part of the wrong shape is `NotebookError.invalidNotebook`.
    public init(json: JSONValue) throws(NotebookError) {
        guard case .object(var top) = json else {
            throw .unsupportedFormat("the top level is \(json.typeName), not a notebook object")
        }
        guard let major = top.removeValue(forKey: "nbformat") else {
            throw .unsupportedFormat("no \"nbformat\" version: not a Jupyter notebook")
        }
        guard case .int(let majorVersion) = major else {
            throw .unsupportedFormat("\"nbformat\" is \(major.typeName), not an integer")
        }
        guard majorVersion == 4 else {
            let hint =
                majorVersion < 4
                ? " (open and save it in Jupyter, or `jupyter nbconvert --to notebook`, to upgrade it)" : ""
            throw .unsupportedFormat(
                "nbformat \(majorVersion) notebooks are not supported: nbrun reads nbformat 4\(hint)")
        }
        guard case .int(let minor)? = top.removeValue(forKey: "nbformat_minor") else {
            throw .unsupportedFormat("\"nbformat_minor\" is missing or not an integer")
        }
        var metadata = JSONObject()
        if let value = top.removeValue(forKey: "metadata") {
            guard case .object(let object) = value else {
                throw .invalidNotebook(location: "notebook metadata", problem: "is \(value.typeName), not an object")
            }
            metadata = object
        }
        guard let cellsValue = top.removeValue(forKey: "cells") else {
            throw .invalidNotebook(location: "", problem: "the notebook has no \"cells\"")
        }
        guard case .array(let cellValues) = cellsValue else {
            throw .invalidNotebook(location: "\"cells\"", problem: "is \(cellsValue.typeName), not an array")
        }
        var cells: [Cell] = []
        cells.reserveCapacity(cellValues.count)
        let newerMinor = minor > Notebook.newestKnownMinor
        for (index, value) in cellValues.enumerated() {
            cells.append(try Cell(json: value, location: "cell \(index + 1)", newerMinor: newerMinor))
        }
        TransientKeys.strip(TransientKeys.notebookMetadata, from: &metadata)
        self.init(nbformat: majorVersion, nbformatMinor: minor, metadata: metadata, cells: cells, extra: top)
    }
}

extension Cell {
    /// `newerMinor`: the notebook's minor version is newer than nbrun knows, so cell and
    /// output types it does not know are kept rather than refused.
    init(json: JSONValue, location: String, newerMinor: Bool) throws(NotebookError) {
        guard case .object(var object) = json else {
            throw .invalidNotebook(location: location, problem: "is \(json.typeName), not an object")
        }
        guard let typeValue = object.removeValue(forKey: "cell_type") else {
            throw .invalidNotebook(location: location, problem: "has no \"cell_type\"")
        }
        guard let typeName = typeValue.stringValue else {
            throw .invalidNotebook(location: location, problem: "cell_type is \(typeValue.typeName), not a string")
        }
        let type = CellType(typeName)
        guard type.isKnown || newerMinor else {
            throw .invalidNotebook(
                location: location,
                problem: "unknown cell_type \"\(typeName)\" (expected code, markdown or raw; "
                    + "only a newer nbformat_minor than \(Notebook.newestKnownMinor) may add cell types)")
        }
        var id: String?
        if let idValue = object.removeValue(forKey: "id") {
            guard let text = idValue.stringValue else {
                throw .invalidNotebook(location: location, problem: "\"id\" is \(idValue.typeName), not a string")
            }
            id = text
        }
        var metadata = JSONObject()
        if let value = object.removeValue(forKey: "metadata") {
            guard case .object(let meta) = value else {
                throw .invalidNotebook(location: location, problem: "metadata is \(value.typeName), not an object")
            }
            metadata = meta
        }
        TransientKeys.strip(TransientKeys.cellMetadata, from: &metadata)
        // A cell type from a newer minor version need not have a source (nbformat's
        // "unrecognized_cell" requires only cell_type and metadata); where it has one, it is text.
        let sourceValue = object.removeValue(forKey: "source")
        guard sourceValue != nil || !type.isKnown else {
            throw .invalidNotebook(location: location, problem: "has no \"source\"")
        }
        let source = try sourceValue.map { (value) throws(NotebookError) in
            try Self.joinedText(value, what: "source", location: location)
        }
        var outputs: [Output]?
        var executionCount: JSONValue?
        if type == .code {
            executionCount = object.removeValue(forKey: "execution_count")
            if let count = executionCount, count != .null, count.intValue == nil {
                throw .invalidNotebook(
                    location: location, problem: "execution_count is \(count.typeName), not an integer or null")
            }
            guard let value = object.removeValue(forKey: "outputs") else {
                throw .invalidNotebook(
                    location: location, problem: "a code cell needs \"outputs\" (an array, possibly empty)")
            }
            guard case .array(let items) = value else {
                throw .invalidNotebook(location: location, problem: "outputs is \(value.typeName), not an array")
            }
            var decoded: [Output] = []
            for (index, item) in items.enumerated() {
                decoded.append(
                    try Output(json: item, location: "\(location), output \(index + 1)", newerMinor: newerMinor))
            }
            outputs = decoded
        }
        var attachments = object.removeValue(forKey: "attachments")
        if case .object(var bundles)? = attachments {
            for (name, bundle) in bundles.members where bundle.objectValue == nil {
                throw .invalidNotebook(
                    location: location, problem: "attachment \"\(name)\" is \(bundle.typeName), not an object")
            }
            bundles.updateValues { _, bundle in bundle.objectValue.map { .object(MimeBundle.rejoined($0)) } ?? bundle }
            attachments = .object(bundles)
        }
        self.init(
            type: type, id: id, metadata: metadata, source: source ?? "", outputs: outputs,
            executionCount: executionCount, attachments: attachments, extra: object)
        // The initialiser fills an absent execution_count; keep it absent, as it was read.
        if type == .code { self.executionCount = executionCount }
        sourceIsAbsent = source == nil
    }

    /// A string, or a list of strings joined (nbformat's rejoin_lines).
    static func joinedText(_ value: JSONValue, what: String, location: String) throws(NotebookError) -> String {
        switch value {
        case .string(let text):
            return text
        case .array(let items):
            var joined = ""
            for item in items {
                guard let piece = item.stringValue else {
                    throw .invalidNotebook(
                        location: location, problem: "\(what) list holds \(item.typeName), not only strings")
                }
                joined += piece
            }
            return joined
        default:
            throw .invalidNotebook(
                location: location, problem: "\(what) is \(value.typeName), not a string or a list of strings")
        }
    }
}

extension Output {
    /// `newerMinor`: as for `Cell`, an output type nbrun does not know is kept, not refused.
    init(json: JSONValue, location: String, newerMinor: Bool) throws(NotebookError) {
        guard case .object(var object) = json else {
            throw .invalidNotebook(location: location, problem: "is \(json.typeName), not an object")
        }
        guard let name = object.removeValue(forKey: "output_type")?.stringValue else {
            throw .invalidNotebook(location: location, problem: "has no \"output_type\" string")
        }
        let type = OutputType(name)
        guard type.isKnown || newerMinor else {
            throw .invalidNotebook(
                location: location,
                problem: "unknown output_type \"\(name)\" (expected stream, display_data, execute_result or error; "
                    + "only a newer nbformat_minor than \(Notebook.newestKnownMinor) may add output types)")
        }
        if type.carriesMimeBundle {
            if case .object(let data)? = object["data"] {
                object["data"] = .object(MimeBundle.rejoined(data))
            }
        } else if let text = object["text"], case .array = text {
            object["text"] = .string(try Cell.joinedText(text, what: "text", location: location))
        }
        if type == .stream, object["text"]?.stringValue == nil {
            throw .invalidNotebook(
                location: location, problem: "a stream output needs \"text\" as a string or a list of strings")
        }
        self.init(outputType: type, fields: object)
    }
}
