/// Python's `str.splitlines(keepends=True)`, which nbformat's `split_lines` uses to store
/// multi-line text as a list of lines.
///
/// It breaks after `\n`, `\r`, `\r\n` (kept together), `\v`, `\f`, `\x1c`, `\x1d`, `\x1e`,
/// U+0085, U+2028 and U+2029, and each line keeps its ending. An empty string gives [].
enum PythonLines {
    static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            UTF8Lines.forEach(in: bytes, breaks: .pythonSplitlines) { content, breakLength in
                // The line with its ending: the break follows its content in `bytes`.
                let withEnding = UnsafeBufferPointer(start: content.baseAddress, count: content.count + breakLength)
                lines.append(String(decoding: withEnding, as: UTF8.self))
            }
            return lines
        }
    }
}
