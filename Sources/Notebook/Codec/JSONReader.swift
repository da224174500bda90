import CJansson

/// Parses JSON text with jansson and converts it to a `JSONValue` tree.
///
/// Like Python's `json`, strings may hold NUL (`\u0000`) and a repeated key keeps its
/// last value. Unlike it, integers must fit 64 bits and nesting is capped at jansson's
/// depth limit; both are reported as errors rather than misread.
///
/// Inside the codec the text is handled as raw buffers, once, for speed: jansson reads the
/// caller's bytes in place and the two-core parse hands out slices of them without copying.
/// The public API takes and returns Swift values only.
public enum JSONReader {
    /// Parses JSON text; a syntax error is `NotebookError.invalidJSON` with its line and column.
    public static func parse(_ bytes: [UInt8]) throws(NotebookError) -> JSONValue {
        try bytes.withRawBytes { (buffer) throws(NotebookError) in try parse(buffer) }
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(NotebookError) -> JSONValue {
        guard bytes.count > 0, bytes.baseAddress != nil else { throw .empty }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw .empty }
        if bytes.count >= SplitParse.threshold, let value = SplitParse.parse(bytes) { return value }
        return try parseWhole(bytes)
    }

    /// One jansson parse of the whole text: the reference behaviour, and the source of every
    /// error message (with jansson's line and column).
    static func parseWhole(_ bytes: UnsafeRawBufferPointer) throws(NotebookError) -> JSONValue {
        var error = json_error_t()
        guard let base = bytes.baseAddress,
            let root = json_loadb(base.assumingMemoryBound(to: CChar.self), bytes.count, flags, &error)
        else { throw decodeError(error) }
        defer { json_decref(root) }
        return convert(root)
    }

    static let flags = Int(JSON_DECODE_ANY | JSON_ALLOW_NUL)

    /// jansson's tree for `bytes`, or nil when jansson refuses them (the caller falls back).
    static func loadTree(_ bytes: UnsafeRawBufferPointer) -> UnsafeMutablePointer<json_t>? {
        guard let base = bytes.baseAddress else { return nil }
        return json_loadb(base.assumingMemoryBound(to: CChar.self), bytes.count, flags, nil)
    }

    /// Walks jansson's tree. jansson has already validated UTF-8, so strings are decoded
    /// without a second check failing; the depth is bounded by jansson's parser limit.
    static func convert(_ node: UnsafeMutablePointer<json_t>) -> JSONValue {
        switch node.pointee.type {
        case JSON_OBJECT:
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(json_object_size(node))
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = string(json_object_iter_key(current), count: json_object_iter_key_len(current))
                if let value = json_object_iter_value(current) {
                    members.append((key, convert(value)))
                }
                iterator = json_object_iter_next(node, current)
            }
            return .object(JSONObject(uniqueMembers: members))
        case JSON_ARRAY:
            let count = json_array_size(node)
            var items: [JSONValue] = []
            items.reserveCapacity(count)
            for index in 0..<count {
                if let item = json_array_get(node, index) { items.append(convert(item)) }
            }
            return .array(items)
        case JSON_STRING:
            return .string(string(json_string_value(node), count: json_string_length(node)))
        case JSON_INTEGER:
            return .int(Int64(json_integer_value(node)))
        case JSON_REAL:
            return .real(json_real_value(node))
        case JSON_TRUE:
            return .bool(true)
        case JSON_FALSE:
            return .bool(false)
        default:
            return .null
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?, count: Int) -> String {
        guard let pointer, count > 0 else { return "" }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    private static func decodeError(_ error: json_error_t) -> NotebookError {
        var error = error
        let detail = withUnsafeBytes(of: &error.text) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
        let kind: NotebookError.JSONErrorKind
        switch json_error_code(&error) {
        case json_error_invalid_utf8: kind = .invalidUTF8
        case json_error_premature_end_of_input: kind = .truncated
        case json_error_end_of_input_expected: kind = .trailingData
        case json_error_stack_overflow: kind = .tooDeep
        case json_error_numeric_overflow:
            kind = detail.contains("integer") ? .integerTooLarge : .numberTooLarge
        case json_error_null_byte_in_key: kind = .nulInKey
        case json_error_out_of_memory: kind = .outOfMemory
        default:
            // jansson reports some truncations (an open string at EOF) as syntax errors.
            kind = detail.contains("end of file") || detail.contains("premature end") ? .truncated : .syntax
        }
        return .invalidJSON(kind: kind, line: Int(error.line), column: Int(error.column), detail: detail)
    }
}
