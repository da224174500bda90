import ArgumentParser
import Engine
import Notebook

/// `nbrun scaffold NOTEBOOK`: a compiling Swift file with a stub port for each no-run cell
/// that no demo matches yet, fingerprints filled in (see `ScaffoldTemplate`).
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Print a Swift skeleton for each no-run cell of a notebook that no demo ports yet.",
        discussion: "Save it under Sources/Demos/, list its demos in Catalog.swift, then port each stub."
    )

    @Argument(help: "The notebook to scaffold.")
    var notebook: String

    func run() throws {
        let problems = Problems()
        guard let notebookValue = Inputs.notebook(at: notebook, problems: problems) else { throw problems.exitStatus }
        let name = RunPlan.notebookName(of: notebook)
        var stubs: [ScaffoldTemplate.Stub] = []
        for (index, cell) in notebookValue.cells.enumerated() where cell.type == .code && cell.tags.contains(noRunTag) {
            if case .matched = NBRun.registry.match(cell, notebookName: name) { continue }
            let label = CellLabel(index: index, cell: cell)
            let fingerprint = SourceFingerprint(source: cell.source)
            stubs.append(
                ScaffoldTemplate.Stub(
                    label: label.description, position: label.position, source: cell.source,
                    fingerprint: fingerprint.digest, sketch: fingerprint.sketch
                ))
        }
        print(ScaffoldTemplate(notebook: name, stubs: stubs).text, terminator: "")
    }
}
