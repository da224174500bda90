import ArgumentParser
import Engine
import Notebook

/// `nbrun list [NOTEBOOK...]`: the registered demos, or how a notebook's cells map to them;
/// exits 1 when a cell has no port or several, as `run` and `check` would refuse it.
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
            let match = registry.matcher(for: notebook, named: RunPlan.notebookName(of: path))
            let sessions = Set(
                notebook.cells.compactMap { cell -> String? in
                    guard cell.type == .code, cell.tags.contains(noRunTag), case .matched(let demo) = match(cell)
                    else { return nil }
                    return demo.session?.name
                })
            if !sessions.isEmpty {
                print(
                    "  session \(sessions.sorted().joined(separator: ", ")): its cells run in order, in one interpreter"
                )
            }
            var unported = 0
            for (index, cell) in notebook.cells.enumerated() where cell.type == .code && cell.tags.contains(noRunTag) {
                let label = CellLabel(index: index, cell: cell)
                let fingerprint = SourceFingerprint(source: cell.source).digest
                let found = match(cell)
                if case .matched = found {} else { unported += 1 }
                switch found {
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
            if unported > 0 {
                // What `run` and `check` would refuse: the listing fails as they would.
                let cells = unported == 1 ? "1 no-run cell has" : "\(unported) no-run cells have"
                problems.report(path, Complaint("\(cells) no port or several"), as: .input)
            }
        }
        try problems.finish()
    }
}
