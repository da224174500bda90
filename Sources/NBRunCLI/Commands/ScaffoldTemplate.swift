/// The Swift file `nbrun scaffold` prints: laid out like the hand-written ports
/// (`Sources/Demos/Threads02.swift`), one `static let` stub per cell with the cell's whole
/// Python source as a comment above it, so porting is filling in the closures.
struct ScaffoldTemplate {
    /// One cell to stub.
    struct Stub {
        /// `cell 3 (id 9c0dea3a)`: where the cell is, for the comment and the stub's error.
        let label: String
        /// 1-based, as in the label; names the stub (`cell3`, demo name `cell-3`).
        let position: Int
        let source: String
        let fingerprint: String
        let sketch: String
    }

    /// The notebook's file name without `.ipynb`, e.g. `03-processes`.
    let notebook: String
    let stubs: [Stub]

    var text: String {
        let names = stubs.map { "cell\($0.position)" }
        let list = names.isEmpty ? "" : "\n" + names.map { "        \($0)," }.joined(separator: "\n") + "\n    "
        return """
            import Foundation
            import Futures

            /// Ports of the `no-run` cells of `notebooks/\(notebook).ipynb`, one demo per cell, in
            /// notebook order. The Python look-alikes (`PyThread`, `sleep`, `perfCounter`,
            /// `threadTime`, `f2`, `evalBreaker`, ...) are in `Support/`.
            public enum \(typeName) {
                static let notebook = \(swiftLiteral(notebook))

                public static let demos: [Demo] = [\(list)]

                // MARK: Shared helpers (defined in one cell, reused by later ones)

            \(stubs.map(stubText).joined(separator: "\n"))}

            """
    }

    /// `03-processes` -> `Processes03`: the words capitalised, then the numbers.
    var typeName: String {
        let words = notebook.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let letters = words.filter { $0.first?.isLetter == true }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let numbers = words.filter { $0.first?.isLetter != true }
        let joined = (letters + numbers).joined().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        guard let first = joined.first else { return "Notebook" }
        return first.isNumber ? "Notebook" + joined : joined
    }

    private func stubText(_ stub: Stub) -> String {
        let python = stub.source.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.reversed().drop { $0.isWhitespace }.reversed()
            return trimmed.isEmpty ? "    //" : "    // " + String(trimmed)
        }
        return """
                // \(stub.label)
                //
            \(python.joined(separator: "\n"))
                static let cell\(stub.position) = Demo(notebook: notebook, name: "cell-\(stub.position)",
                    fingerprint: "\(stub.fingerprint)",
                    sketch: \(sketchLiteral(stub.sketch))
                ) { ctx in
                    throw PythonError("NotImplementedError", \(swiftLiteral("port \(stub.label) of \(notebook)")))
                }

            """
    }

    /// Long sketches as a sum of 80-character literals, so no line runs off the screen.
    private func sketchLiteral(_ sketch: String) -> String {
        var pieces: [String] = []
        var rest = Substring(sketch)
        repeat {
            pieces.append("\"\(rest.prefix(80))\"")
            rest = rest.dropFirst(80)
        } while !rest.isEmpty
        return pieces.joined(separator: "\n            + ")
    }

    private func swiftLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
