import Notebook

/// A stable fingerprint of a cell's source, used to match a cell to the demo that ports it.
///
/// The source is normalised first, so how it is stored does not matter: a list of lines or
/// one string, `\r\n` or `\n`, trailing whitespace on a line, blank lines at the end.
/// The digest is 64-bit FNV-1a of the normalised UTF-8 (stable across runs, machines and
/// Swift versions, unlike `Hasher`); it detects edits, it is not a security hash.
package struct SourceFingerprint: Hashable, Sendable {
    /// 16 lowercase hex digits.
    package let digest: String
    /// 8 hex digits per non-blank line (FNV-1a 32 of the line), to measure how close two sources are.
    package let sketch: String

    package init(source: String) {
        let lines = Self.normalizedLines(source)
        digest = Self.hex(StableHash.fnv64(lines.joined(separator: "\n")), width: 16)
        sketch = lines.filter { !$0.isEmpty }
            .map { Self.hex(UInt64(Self.fnv32($0)), width: 8) }
            .joined()
    }

    /// The share of line hashes two sketches have in common (0...1), counting repeats.
    package static func similarity(_ a: String, _ b: String) -> Double {
        let left = chunks(a), right = chunks(b)
        guard !left.isEmpty || !right.isEmpty else { return 1 }
        var remaining = Dictionary(right.map { ($0, 1) }, uniquingKeysWith: +)
        var shared = 0
        for line in left where (remaining[line] ?? 0) > 0 {
            remaining[line, default: 0] -= 1
            shared += 1
        }
        return Double(2 * shared) / Double(left.count + right.count)
    }

    /// The source's lines with trailing whitespace removed and trailing blank lines dropped.
    /// Lines break at `\n`, `\r\n`, `\r` and the other Unicode line separators.
    ///
    /// Works on the UTF-8 bytes, since every line break and nearly all trailing whitespace
    /// is one byte or a short fixed sequence; a line that ends in a non-ASCII byte is
    /// trimmed by scalars (`normalizedLinesByScalars` is the reference, and the tests hold
    /// the two equal). Appending scalar by scalar made fingerprinting most of the time a
    /// batch spent before its first cell: 80 ms for 100 notebooks.
    static func normalizedLines(_ source: String) -> [String] {
        var source = source
        return source.withUTF8 { bytes in
            var lines: [String] = []
            UTF8Lines.forEach(in: bytes, breaks: .newlines) { content, _ in lines.append(trimmedLine(content)) }
            while let last = lines.last, last.isEmpty { lines.removeLast() }
            return lines
        }
    }

    /// One line without its trailing whitespace: ASCII whitespace by bytes; from a non-ASCII
    /// byte on (perhaps a no-break space), by scalars.
    private static func trimmedLine(_ line: UnsafeBufferPointer<UInt8>) -> String {
        var end = line.count
        while end > 0 {
            switch line[end - 1] {
            case 0x09, 0x20: end -= 1
            case 0x80...: return trimmed(String(decoding: line[..<end], as: UTF8.self).unicodeScalars)
            default: return String(decoding: line[..<end], as: UTF8.self)
            }
        }
        return ""
    }

    /// `normalizedLines` scalar by scalar: the reference the byte version is tested against.
    static func normalizedLinesByScalars(_ source: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in source.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if isLineBreak(scalar) {
                lines.append(trimmed(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(trimmed(current))
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func trimmed(_ line: String.UnicodeScalarView) -> String {
        var end = line.endIndex
        while end > line.startIndex {
            let before = line.index(before: end)
            guard line[before].properties.isWhitespace else { break }
            end = before
        }
        return String(line[..<end])
    }

    private static func chunks(_ sketch: String) -> [Substring] {
        var result: [Substring] = []
        var start = sketch.startIndex
        while start < sketch.endIndex {
            let end = sketch.index(start, offsetBy: 8, limitedBy: sketch.endIndex) ?? sketch.endIndex
            result.append(sketch[start..<end])
            start = end
        }
        return result
    }

    /// 32-bit FNV-1a of one line, for sketches (the digest uses `StableHash.fnv64`).
    static func fnv32(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        return hash
    }

    private static func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
