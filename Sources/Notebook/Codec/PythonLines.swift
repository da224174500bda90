/// Python's `str.splitlines(keepends=True)`, which nbformat's `split_lines` uses to store
/// multi-line text as a list of lines.
///
/// It breaks after `\n`, `\r`, `\r\n` (kept together), `\v`, `\f`, `\x1c`, `\x1d`, `\x1e`,
/// U+0085, U+2028 and U+2029, and each line keeps its ending. An empty string gives [].
/// Works on UTF-8 bytes: the multi-byte breaks are C2 85, E2 80 A8 and E2 80 A9.
enum PythonLines {
    static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var lineStart = 0
            var position = 0
            let count = bytes.count
            while position < count {
                let breakLength = lineBreakLength(bytes, at: position)
                if breakLength == 0 {
                    position += 1
                    continue
                }
                position += breakLength
                lines.append(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<position]), as: UTF8.self))
                lineStart = position
            }
            if lineStart < count {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<count]), as: UTF8.self))
            }
            return lines
        }
    }

    /// The byte length of the line break starting at `position`, or 0 if none starts there.
    private static func lineBreakLength(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Int {
        switch bytes[position] {
        case 0x0D:
            return position + 1 < bytes.count && bytes[position + 1] == 0x0A ? 2 : 1
        case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E:
            return 1
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
