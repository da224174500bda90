/// Finds where a notebook's `cells` array and each of its elements begin and end, without
/// parsing, so that jansson can parse the cells on two cores at once.
///
/// The scan only tracks strings (with their escapes) and bracket nesting. It accepts a
/// document only when its layout is plain: one top-level object with exactly one `cells`
/// key (spelled without escapes) whose value is an array, elements separated by whitespace
/// and single commas, nothing but whitespace after the object. Anything else returns nil
/// and the caller parses the whole file in one go. It validates nothing else: jansson
/// still parses every byte, and any failure falls back to a whole-file parse for the error.
struct CellSplitter {
    struct Layout {
        /// Offsets of the `[` and `]` of the cells array.
        let arrayOpen: Int
        let arrayClose: Int
        /// Each element's byte range.
        let elements: [Range<Int>]
        /// The deepest nesting inside any element (an element that is an object is depth 1).
        let deepestElement: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    static func layout(of bytes: UnsafeBufferPointer<UInt8>) -> Layout? {
        var splitter = CellSplitter(bytes: bytes)
        return splitter.scanTopLevel()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func scanTopLevel() -> Layout? {
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        var found: Layout?
        skipWhitespace()
        if take(UInt8(ascii: "}")) { return nil }
        while true {
            skipWhitespace()
            // A key with an escape might spell "cells" another way (a duplicate jansson would
            // resolve): leave such documents to the whole-file parse.
            guard let keyRange = scanString(), !bytes[keyRange].contains(UInt8(ascii: "\\")) else { return nil }
            skipWhitespace()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipWhitespace()
            if isCellsKey(keyRange) {
                guard found == nil, let cells = scanCellsArray() else { return nil }
                found = cells
            } else {
                guard scanValue() != nil else { return nil }
            }
            skipWhitespace()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return nil }
            break
        }
        skipWhitespace()
        return position == bytes.count ? found : nil
    }

    private mutating func scanCellsArray() -> Layout? {
        let open = position
        guard take(UInt8(ascii: "[")) else { return nil }
        var elements: [Range<Int>] = []
        var deepest = 0
        skipWhitespace()
        if !take(UInt8(ascii: "]")) {
            while true {
                skipWhitespace()
                let start = position
                guard let depth = scanValue() else { return nil }
                elements.append(start..<position)
                deepest = max(deepest, depth)
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                guard take(UInt8(ascii: "]")) else { return nil }
                break
            }
        }
        return Layout(arrayOpen: open, arrayClose: position - 1, elements: elements, deepestElement: deepest)
    }

    /// Skips one value; returns its nesting depth (0 for a scalar), or nil when it is cut off.
    /// Brackets are only counted, not matched: a mismatch is jansson's to report.
    private mutating func scanValue() -> Int? {
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return scanString() != nil ? 0 : nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0, deepest = 0
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard scanString() != nil else { return nil }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    deepest = max(deepest, depth)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return deepest
                    }
                default:
                    break
                }
                position += 1
            }
            return nil
        default:  // a number, true, false or null: jansson checks which
            let start = position
            while position < bytes.count, !isDelimiter(bytes[position]) { position += 1 }
            return position > start ? 0 : nil
        }
    }

    /// Skips a string starting at `position`; returns the range of its content.
    private mutating func scanString() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"): position += 2
            case UInt8(ascii: "\""):
                position += 1
                return start..<(position - 1)
            default: position += 1
            }
        }
        return nil
    }

    private func isCellsKey(_ range: Range<Int>) -> Bool {
        range.count == 5 && bytes[range].elementsEqual("cells".utf8)
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")
            || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}
