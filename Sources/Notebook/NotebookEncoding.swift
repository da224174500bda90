/// Turns a `Notebook` back into the JSON nbformat writes: multi-line text split into
/// lists of lines (`split_lines`), transient keys dropped (`strip_transient`).
extension Notebook {
    public var json: JSONValue {
        var top = extra
        var metadata = metadata
        metadata.removeValue(forKey: "orig_nbformat")
        metadata.removeValue(forKey: "orig_nbformat_minor")
        metadata.removeValue(forKey: "signature")
        top["nbformat"] = .int(nbformat)
        top["nbformat_minor"] = .int(nbformatMinor)
        top["metadata"] = .object(metadata)
        top["cells"] = .array(cells.map(\.json))
        return .object(top)
    }

    /// The file's bytes, identical to what `nbformat.write` produces for this notebook.
    /// `sizeHint`: roughly how large the result will be (the size it was read from).
    public func canonicalBytes(sizeHint: Int = 1 << 16) -> [UInt8] {
        var bytes = JSONWriter.bytes(json, capacity: sizeHint + sizeHint / 8 + 1)
        bytes.append(0x0A)
        return bytes
    }
}

extension Cell {
    var json: JSONValue {
        var object = extra
        var metadata = metadata
        metadata.removeValue(forKey: "trusted")
        object["cell_type"] = .string(type.rawValue)
        if let id { object["id"] = .string(id) }
        object["metadata"] = .object(metadata)
        object["source"] = .array(PythonLines.split(source).map(JSONValue.string))
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
        object["output_type"] = .string(outputType)
        switch outputType {
        case "execute_result", "display_data":
            if case .object(let data)? = object["data"] { object["data"] = .object(MimeBundle.split(data)) }
        case "stream":
            if case .string(let text)? = object["text"] {
                object["text"] = .array(PythonLines.split(text).map(JSONValue.string))
            }
        default:
            break
        }
        return .object(object)
    }
}
