import ArgumentParser
import Engine
import Foundation
import Notebook

/// `nbrun scaffold NOTEBOOK [--into DIR]`: a compiling Swift file with a stub port for each
/// distinct source among the no-run cells that no demo matches yet (identical cells share one
/// port), fingerprints filled in and demos named from the cells (see `ScaffoldTemplate`,
/// `DemoNaming`). With `--session`, every cell another notebook's port matches gets a stub too,
/// since a session notebook's cells match its own port only, and the `Session` class gets the
/// cells' top-level names (`SessionGlobals`).
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
        let tagged = notebookValue.cells.enumerated().filter { $0.element.type == .code }.enumerated()
            .filter { $0.element.element.tags.contains(noRunTag) }
            .map { (codePosition: $0.offset + 1, index: $0.element.offset, cell: $0.element.element) }
        let globals = session ? SessionGlobals(sources: tagged.map(\.cell.source)) : nil
        var naming = DemoNaming(
            taken: registry.demos.filter { $0.notebook == name }.map(\.name), avoiding: globals?.swiftNames ?? [])
        let match = registry.matcher(for: notebookValue, named: name)
        var stubs: [ScaffoldTemplate.Stub] = []
        var stubbed: Set<String> = []
        for (codePosition, index, cell) in tagged {
            if case .matched(let demo) = match(cell), !session || demo.notebook == name {
                // A session notebook's cells are its own port's, whoever else has the same line.
                continue
            }
            let fingerprint = SourceFingerprint(source: cell.source)
            // Identical cells share one port: one stub per distinct source.
            guard stubbed.insert(fingerprint.digest).inserted else { continue }
            stubs.append(
                ScaffoldTemplate.Stub(
                    label: CellLabel(index: index, cell: cell).description,
                    name: naming.name(id: cell.id, source: cell.source, codePosition: codePosition),
                    source: cell.source, fingerprint: fingerprint.digest, sketch: fingerprint.sketch
                ))
        }
        let template = ScaffoldTemplate(notebook: name, stubs: stubs, globals: globals)
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
