/// Turns a `Notebook` back into the JSON nbformat writes: multi-line text split into
/// lists of lines (`split_lines`), transient keys dropped (`strip_transient`).
extension Notebook {
    /// The notebook as nbformat's JSON, keys in nbformat's order.
    public var json: JSONValue {
        var top = extra
        var metadata = metadata
        TransientKeys.strip(TransientKeys.notebookMetadata, from: &metadata)
        top["nbformat"] = .int(nbformat)
        top["nbformat_minor"] = .int(nbformatMinor)
        top["metadata"] = .object(metadata)
        top["cells"] = .array(cells.map(\.json))
        return .object(top)
    }

    /// The file's bytes, identical to what `nbformat.write` produces for this notebook.
    /// `sizeHint`: roughly how large the result will be (the size it was read from); a large
    /// notebook's cells are written on two cores.
    public func canonicalBytes(sizeHint: Int = 1 << 16) -> [UInt8] {
        let capacity = sizeHint + sizeHint / 8 + 1
        guard sizeHint >= SplitParse.threshold, cells.count >= 2 else {
            var bytes = JSONWriter.bytes(json, capacity: capacity)
            bytes.append(0x0A)
            return bytes
        }
        var outline = self
        outline.cells = []
        let frame = JSONWriter.bytes(outline.json, capacity: 1 << 12)
        // `"cells": []` at indent 1 is unique: deeper lines are indented more, and JSON
        // strings hold no raw newline.
        let marker = Array("\n \"cells\": []".utf8)
        guard let at = Self.firstIndex(of: marker, in: frame) else {
            var bytes = JSONWriter.bytes(json, capacity: capacity)
            bytes.append(0x0A)
            return bytes
        }
        let half = cells.count / 2
        let (first, second) = Parallel.both(
            { Self.cellBytes(cells[..<half], capacity: capacity / 2) },
            { [cells] in Self.cellBytes(cells[half...], capacity: capacity / 2) })
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        bytes.append(contentsOf: frame[..<(at + marker.count - 1)])  // up to and including `[`
        bytes.append(contentsOf: first)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: second)
        bytes.append(contentsOf: Array("\n ]".utf8))
        bytes.append(contentsOf: frame[(at + marker.count - 1 + 1)...])  // after `]`
        bytes.append(0x0A)
        return bytes
    }

    /// Cells as they appear inside the top-level `cells` array: each on a new line at
    /// indent 2, separated by commas.
    private static func cellBytes(_ cells: ArraySlice<Cell>, capacity: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: Array("\n  ".utf8))
            JSONWriter.write(cell.json, level: 2, into: &bytes)
        }
        return bytes
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

extension Cell {
    var json: JSONValue {
        var object = extra
        var metadata = metadata
        TransientKeys.strip(TransientKeys.cellMetadata, from: &metadata)
        object["cell_type"] = .string(type.name)
        if let id { object["id"] = .string(id) }
        object["metadata"] = .object(metadata)
        if !sourceIsAbsent || !source.isEmpty {
            object["source"] = .array(PythonLines.split(source).map(JSONValue.string))
        }
        if let executionCount { object["execution_count"] = executionCount }
        if let outputs { object["outputs"] = .array(outputs.map(\.json)) }
        if case .object(var bundles)? = attachments {
            bundles.updateValues { _, bundle in bundle.objectValue.map { .object(MimeBundle.split($0)) } ?? bundle }
            object["attachments"] = .object(bundles)
        } else if let attachments {
            object["attachments"] = attachments
        }
        return .object(object)
    }
}

extension Output {
    var json: JSONValue {
        var object = fields
        object["output_type"] = .string(outputType.name)
        switch outputType {
        case .executeResult, .displayData:
            if case .object(let data)? = object["data"] { object["data"] = .object(MimeBundle.split(data)) }
        case .stream:
            if case .string(let text)? = object["text"] {
                object["text"] = .array(PythonLines.split(text).map(JSONValue.string))
            }
        default:
            break
        }
        return .object(object)
    }
}
