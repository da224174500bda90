import ArgumentParser
import Engine
import Notebook

/// `nbrun list [NOTEBOOK...]`: the registered demos, or how a notebook's cells map to them.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registered demos, or show which demo each no-run cell of a notebook maps to."
    )

    @Argument(help: "Notebooks to inspect; with none, list every registered demo.")
    var notebooks: [String] = []

    func run() throws {
        let registry = NBRun.registry
        guard !notebooks.isEmpty else {
            for demo in registry.demos {
                print("\(demo.notebook)\t\(demo.name)\t\(demo.fingerprint)")
            }
            return
        }
        let problems = Problems()
        for path in Inputs.paths(notebooks, problems: problems) {
            guard let notebook = Inputs.notebook(at: path, problems: problems) else { continue }
            print("\(path):")
            let name = RunPlan.notebookName(of: path)
            let sessions = Set(
                notebook.cells.compactMap { cell -> String? in
                    guard cell.type == .code, cell.tags.contains(noRunTag),
                        case .matched(let demo) = registry.match(cell, notebookName: name)
                    else { return nil }
                    return demo.session?.name
                })
            if !sessions.isEmpty {
                print(
                    "  session \(sessions.sorted().joined(separator: ", ")): its cells run in order, in one interpreter"
                )
            }
            for (index, cell) in notebook.cells.enumerated() where cell.type == .code && cell.tags.contains(noRunTag) {
                let label = CellLabel(index: index, cell: cell)
                let fingerprint = SourceFingerprint(source: cell.source).digest
                switch registry.match(cell, notebookName: name) {
                case .matched(let demo):
                    print("  \(label)\t\(fingerprint)\t-> \(demo.id)")
                case let .unmatched(nearest, similarity):
                    let hint =
                        nearest.map {
                            "; nearest \($0.id) (\(Int((similarity * 100).rounded()))% alike)"
                        } ?? ""
                    print("  \(label)\t\(fingerprint)\tNO DEMO (\"\(label.firstLine)\")\(hint)")
                case .ambiguous(let demos):
                    print(
                        "  \(label)\t\(fingerprint)\tAMBIGUOUS: \(demos.map(\.id).joined(separator: ", "))"
                    )
                }
            }
        }
        try problems.finish()
    }
}
