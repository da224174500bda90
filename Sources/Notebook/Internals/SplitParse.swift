import CJansson

/// Parses a large notebook with jansson on two cores: the document around the `cells`
/// array on this thread, the cells themselves in two halves, one on a second thread.
///
/// The result equals the whole-file parse: the pieces are disjoint, cover the document,
/// and are separated only by whitespace and commas (checked by `CellSplitter`), so the
/// document is valid JSON exactly when every piece is; nesting is checked against the whole
/// document's limit. Whenever anything is unusual, or a piece fails, it returns nil and the
/// caller parses the whole file, which also gives the error its line and column.
enum SplitParse {
    /// Below this, a second thread costs more than it saves.
    static let threshold = 1 << 20
    /// jansson's JSON_PARSER_MAX_DEPTH, less the two levels above a cell (object, array).
    static let deepestCell = 2048 - 2

    static func parse(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        let buffer = bytes.bindMemory(to: UInt8.self)
        guard let layout = CellSplitter.layout(of: buffer), layout.deepestElement < deepestCell,
            layout.elements.count >= 2
        else { return nil }
        // The document with an empty cells array: its bytes up to `[`, then from `]` on.
        let skeleton = Array(buffer[...layout.arrayOpen]) + Array(buffer[layout.arrayClose...])
        // Parsed first, on this thread: jansson seeds its hash tables on the first object.
        guard case .object(var top)? = skeleton.withUnsafeBytes(parsePiece),
            case .array(let empty)? = top["cells"], empty.isEmpty
        else { return nil }

        let half = Parallel.halfway(layout.elements.map(\.count))
        let (first, rest) = Parallel.both(
            { parseElements(layout.elements[..<half], in: bytes) },
            { parseElements(layout.elements[half...], in: bytes) })
        guard let first, let rest else { return nil }
        top["cells"] = .array(first + rest)
        return .object(top)
    }

    private static func parseElements(_ ranges: ArraySlice<Range<Int>>, in bytes: UnsafeRawBufferPointer)
        -> [JSONValue]?
    {
        var values: [JSONValue] = []
        values.reserveCapacity(ranges.count)
        for range in ranges {
            guard let value = parsePiece(UnsafeRawBufferPointer(rebasing: bytes[range])) else { return nil }
            values.append(value)
        }
        return values
    }

    private static func parsePiece(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        guard let root = JSONReader.loadTree(bytes) else { return nil }
        defer { json_decref(root) }
        return JSONReader.convert(root)
    }
}
