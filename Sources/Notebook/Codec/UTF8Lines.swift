/// Lines of UTF-8 text, cut at its line breaks: the one scanner behind nbformat's
/// `split_lines` (`PythonLines`) and the fingerprints that match cells to their ports.
///
/// The multi-byte breaks are C2 85 (U+0085), E2 80 A8 (U+2028) and E2 80 A9 (U+2029); no
/// other character's UTF-8 contains these sequences, nor any of the one-byte breaks.
public enum UTF8Lines {
    /// Where lines break.
    public enum Breaks: Sendable {
        /// `\n`, `\r`, `\r\n` (one break), `\v`, `\f`, U+0085, U+2028, U+2029.
        case newlines
        /// Those and `\x1c`, `\x1d`, `\x1e`: Python's `str.splitlines`.
        case pythonSplitlines
    }

    /// Calls `line` with each line's bytes (its break excluded) and its break's length, in
    /// order; a last line without a break only if it is not empty (its break's length 0).
    public static func forEach(
        in bytes: UnsafeBufferPointer<UInt8>, breaks: Breaks,
        _ line: (_ content: UnsafeBufferPointer<UInt8>, _ breakLength: Int) -> Void
    ) {
        var lineStart = 0
        var position = 0
        while position < bytes.count {
            let breakLength = lineBreakLength(bytes, at: position, breaks: breaks)
            if breakLength == 0 {
                position += 1
                continue
            }
            line(UnsafeBufferPointer(rebasing: bytes[lineStart..<position]), breakLength)
            position += breakLength
            lineStart = position
        }
        if lineStart < bytes.count {
            line(UnsafeBufferPointer(rebasing: bytes[lineStart...]), 0)
        }
    }

    /// The byte length of the line break starting at `position`, or 0 if none starts there.
    private static func lineBreakLength(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int, breaks: Breaks) -> Int {
        switch bytes[position] {
        case 0x0D:
            return position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
        case 0x0A, 0x0B, 0x0C:
            return 1
        case 0x1C, 0x1D, 0x1E:
            return breaks == .pythonSplitlines ? 1 : 0
        case 0xC2:
            return position + 1 < bytes.count && bytes[position + 1] == 0x85 ? 2 : 0
        case 0xE2:
            guard position + 2 < bytes.count, bytes[position + 1] == 0x80 else { return 0 }
            return bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9 ? 3 : 0
        default:
            return 0
        }
    }
}
