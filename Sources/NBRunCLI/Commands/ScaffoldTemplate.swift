/// The Swift file `nbrun scaffold` prints (or writes with `--into`): laid out like the
/// hand-written ports (`Sources/Demos/02-threads/Threads02.swift`), one `static let` per cell
/// with the cell's whole Python source as a comment above it, so porting is filling in the
/// closures. `nbrun init` writes its example port with the same template.
struct ScaffoldTemplate {
    /// One cell to stub.
    struct Stub {
        /// `cell 3 (id 9c0dea3a)`: where the cell is, for the comment and the stub's error.
        let label: String
        /// The demo's name (see `DemoNaming`), e.g. `raw-thread`: its key in `nbrun.json`.
        let name: String
        let source: String
        let fingerprint: String
        let sketch: String
        /// The port's statements; nil for a stub that raises `NotImplementedError`.
        var body: String? = nil
    }

    /// The notebook's file name without `.ipynb`, e.g. `03-processes`.
    let notebook: String
    let stubs: [Stub]
    /// Stub a notebook written step by step: a `Session` class holding these globals, which
    /// its cells share, and cells that get it and return their value (`Out[n]`); nil for
    /// self-contained cells.
    var globals: SessionGlobals? = nil

    var session: Bool { globals != nil }

    var text: String {
        let names = stubs.map { DemoNaming.identifier($0.name) }
        let list = names.isEmpty ? "" : "\n" + names.map { "        \($0)," }.joined(separator: "\n") + "\n    "
        return """
            import Foundation
            import PythonRuntime

            /// Ports of the `no-run` cells of `\(notebook).ipynb`, one demo per cell, in notebook
            /// order. The Python look-alikes (`threading.Thread`, `threading.Lock`, `time.sleep`, `time.perfCounter`, `format`,
            /// `evalBreaker`, `releasingGIL`, ...) are in the `PythonRuntime` library.
            public enum \(typeName) {
                static let notebook = \(literal(notebook))

                public static let demos: [Demo] = [\(list)]

                /// The functions these ports run in worker processes (process pools), by name.
                public static let remoteFunctions: [any RemoteFunctionProtocol] = []

                // MARK: Shared helpers (defined in one cell, reused by later ones)
            \(session ? sessionText : "")
            \(stubs.map(stubText).joined(separator: "\n"))}

            """
    }

    /// `03-processes` -> `Processes03`: the words capitalised, then the numbers.
    var typeName: String { Self.typeName(of: notebook) }

    static func typeName(of notebook: String) -> String {
        let words = notebook.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let letters = words.filter { $0.first?.isLetter == true }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let numbers = words.filter { $0.first?.isLetter != true }
        let joined = (letters + numbers).joined().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        guard let first = joined.first else { return "Notebook" }
        return first.isNumber ? "Notebook" + joined : joined
    }

    private var sessionText: String {
        let globals = globals ?? SessionGlobals(sources: [])
        let properties = globals.globals.map { global in
            """
                    // \(global.firstLine.trimmingCharacters(in: .whitespaces))
                    var \(global.swift): \(global.type) = \(global.initialValue)
            """
        }
        let functions = globals.redefined.map { function in
            """
                    // `def \(function.name)` is defined in \(function.cells) cells: keep the current one here
                    // (`var \(SessionGlobals.swiftName(function.name)): @Sendable (...) -> ...`), set by each cell that defines it.
            """
        }
        let body = (properties + functions).joined(separator: "\n")
        return """

                /// What the notebook's cells define and share: each name a cell assigns at the top
                /// level is a property here (give it its look-alike's type as you port), made fresh
                /// for each run of the notebook.
                final class Session: NotebookSession, @unchecked Sendable {
                    // @unchecked: touched only by the notebook's cells and their threads, holding
                    // its GIL, as Python code touches its globals.
            \(body.isEmpty ? "" : "\n" + body + "\n")
                    init() {}
                }

            """
    }

    private func stubText(_ stub: Stub) -> String {
        let python = stub.source.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.reversed().drop { $0.isWhitespace }.reversed()
            return trimmed.isEmpty ? "    //" : "    // " + String(trimmed)
        }
        let body =
            stub.body
                ?? """
                throw builtins.NotImplementedError(\(literal("port \(stub.label) of \(notebook)")))
                """
        let indentedBody = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "        " + $0 }.joined(separator: "\n")
        return """
                // \(stub.label)
                //
            \(python.joined(separator: "\n"))
                static let \(DemoNaming.identifier(stub.name)) = Demo(notebook: notebook, name: \(literal(stub.name)),
                    fingerprint: "\(stub.fingerprint)",
                    sketch: \(sketchLiteral(stub.sketch))\(session ? ",\n            session: Session.self" : "")
                ) { ctx\(session ? ", s" : "") in
            \(indentedBody)
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
}
