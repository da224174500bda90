/// Text nbrun prints that holds what a notebook brought (outputs, ids, patterns, file
/// names), made safe for a CI runner that reads stdout and stderr for workflow commands
/// (`::error ...::`, on a line of its own after leading spaces; a carriage return starts a
/// new line for it): a carriage return is shown as `\r`, and a line that would start with
/// `::` gets a `\` before it. Annotations nbrun means to emit escape their own text
/// (`Annotation.escapeData`) and are printed as they are.
enum OutputText {
    static func neutralized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\r" || $0 == ":" }) else { return text }
        var result = String.UnicodeScalarView()
        var lineStart = true
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if lineStart, scalar == ":", scalars.first == ":" { result.append("\\") }
            switch scalar {
            case "\r":
                result.append(contentsOf: "\\r".unicodeScalars)
                lineStart = false
            case "\n":
                result.append(scalar)
                lineStart = true
            case " ", "\t":
                result.append(scalar)
            default:
                result.append(scalar)
                lineStart = false
            }
        }
        return String(result)
    }
}
