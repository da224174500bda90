import ArgumentParser
import Engine
import Notebook

/// `nbrun scaffold NOTEBOOK`: a compiling Swift file with a stub port for each no-run cell
/// that no demo matches yet, fingerprints filled in.
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Print a Swift skeleton for each no-run cell of a notebook that no demo ports yet.",
        discussion: "Save it under Sources/Demos/, list its demos in Catalog.swift, then port each stub."
    )

    @Argument(help: "The notebook to scaffold.")
    var notebook: String

    func run() throws {
        var failed = false
        guard let notebookValue = Inputs.notebook(at: notebook, failed: &failed) else { throw Failure.failed }
        let name = RunPlan.notebookName(of: notebook)
        var stubs: [String] = []
        for (index, cell) in notebookValue.cells.enumerated() where cell.type == .code && cell.tags.contains(noRunTag) {
            if case .matched = DemoRegistry.course.match(cell, notebookName: name) { continue }
            let label = CellLabel(index: index, cell: cell)
            let fingerprint = SourceFingerprint(source: cell.source)
            stubs.append("""
                        // \(label): \(label.firstLine)
                        Demo(notebook: \(swiftLiteral(name)), name: "cell-\(label.position)",
                             fingerprint: "\(fingerprint.digest)",
                             sketch: "\(fingerprint.sketch)") { ctx in
                            throw PythonError("NotImplementedError", "port \(label) of \(name)")
                        },
                """)
        }
        print("""
            import Foundation
            import Futures

            /// Ports of the `no-run` cells of `\(name).ipynb`.
            public enum \(typeName(for: name)) {
                public static let demos: [Demo] = [
            \(stubs.joined(separator: "\n"))
                ]
            }
            """)
    }

    /// `02-threads` -> `Threads02`: the words capitalised, then the numbers.
    private func typeName(for notebook: String) -> String {
        let words = notebook.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let letters = words.filter { $0.first?.isLetter == true }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let numbers = words.filter { $0.first?.isLetter != true }
        let joined = (letters + numbers).joined().filter { $0.isLetter || $0.isNumber || $0 == "_" }
        guard let first = joined.first else { return "Notebook" }
        return first.isNumber ? "Notebook" + joined : joined
    }

    private func swiftLiteral(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
