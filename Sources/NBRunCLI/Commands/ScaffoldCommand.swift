import ArgumentParser
import Engine
import Foundation
import Notebook

/// `nbrun scaffold NOTEBOOK [--into DIR]`: a compiling Swift file with a stub port for each
/// no-run cell that no demo matches yet, fingerprints filled in and demos named from the
/// cells (see `ScaffoldTemplate`, `DemoNaming`).
struct ScaffoldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaffold",
        abstract: "Print (or write) a Swift skeleton for each no-run cell of a notebook that no demo ports yet.",
        discussion:
            "With --into DIR (a course's ports folder, e.g. Sources/CoursePorts) the file goes to "
            + "DIR/NN-name/TypeName.swift, and DIR/Notebooks.swift, if nbrun generated it, is rewritten "
            + "to list the new notebook; otherwise add `TypeName.demos` to your catalog."
    )

    @Argument(help: "The notebook to scaffold.")
    var notebook: String

    @Flag(
        help:
            "The notebook is written step by step (its cells use what earlier cells made): stub a Session class the cells share."
    )
    var session = false

    @Option(help: ArgumentHelp("Write the file under this ports folder instead of printing it.", valueName: "dir"))
    var into: String?

    func run() throws {
        let problems = Problems()
        guard let notebookValue = Inputs.notebook(at: notebook, problems: problems) else { throw problems.exitStatus }
        let name = RunPlan.notebookName(of: notebook)
        let registry = NBRun.registry
        var naming = DemoNaming(taken: registry.demos.filter { $0.notebook == name }.map(\.name))
        var stubs: [ScaffoldTemplate.Stub] = []
        var codePosition = 0
        for (index, cell) in notebookValue.cells.enumerated() where cell.type == .code {
            codePosition += 1
            guard cell.tags.contains(noRunTag) else { continue }
            if case .matched = registry.match(cell, notebookName: name) { continue }
            let fingerprint = SourceFingerprint(source: cell.source)
            stubs.append(
                ScaffoldTemplate.Stub(
                    label: CellLabel(index: index, cell: cell).description,
                    name: naming.name(id: cell.id, source: cell.source, codePosition: codePosition),
                    source: cell.source, fingerprint: fingerprint.digest, sketch: fingerprint.sketch
                ))
        }
        let template = ScaffoldTemplate(notebook: name, stubs: stubs, session: session)
        guard let into else {
            print(template.text, terminator: "")
            return
        }
        try write(template, into: URL(fileURLWithPath: into))
    }

    /// Writes the ports file (never over an existing one) and brings the catalog up to date.
    private func write(_ template: ScaffoldTemplate, into folder: URL) throws {
        guard !template.stubs.isEmpty else {
            Terminal.printError("nbrun: \(notebook): every no-run cell has a port; nothing written")
            return
        }
        let notebookFolder = folder.appendingPathComponent(template.notebook)
        let file = notebookFolder.appendingPathComponent(template.typeName + ".swift")
        guard !FileManager.default.fileExists(atPath: file.path) else {
            Terminal.printError(
                "nbrun: \(file.path) exists; `nbrun scaffold \(notebook)` prints the new stubs to paste into it")
            throw ExitCode.failure
        }
        do {
            try FileManager.default.createDirectory(at: notebookFolder, withIntermediateDirectories: true)
            try Data(template.text.utf8).write(to: file, options: .withoutOverwriting)
            print("wrote \(file.path) (\(template.stubs.map(\.name).joined(separator: ", ")))")
            if CourseCatalogFile.isGenerated(in: folder) {
                let catalog = folder.appendingPathComponent(CourseCatalogFile.fileName)
                let text = CourseCatalogFile.text(
                    types: CourseCatalogFile.notebookTypes(in: folder),
                    services: CourseCatalogFile.hasServices(in: folder))
                try Data(text.utf8).write(to: catalog, options: .atomic)
                print("updated \(catalog.path)")
            } else {
                print("now list `\(template.typeName).demos` with your course's demos (and its remoteFunctions)")
            }
        } catch {
            Terminal.printError("nbrun: \(file.path): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}
