import ArgumentParser
import Engine
import Notebook

/// `nbrun fmt`: rewrites notebooks in nbformat's canonical bytes.
struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite notebooks in canonical form (the bytes nbformat writes).",
        discussion: "A notebook already in canonical form is left byte-identical."
    )

    @Flag(help: "Change nothing; exit 1 listing the notebooks that would change.")
    var check = false

    @Option(name: .shortAndLong, help: "Write the result to this path instead (one notebook only).")
    var output: String?

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func validate() throws {
        if output != nil && (notebooks.count != 1 || check) {
            throw ValidationError("-o/--output takes exactly one notebook and no --check")
        }
    }

    func run() throws {
        let paths: [String]
        do {
            paths = try NotebookPaths.expand(notebooks)
        } catch {
            Terminal.printError("nbrun: \(error)")
            throw Failure.failed
        }
        var failed = false
        for path in paths {
            do throws(NotebookError) {
                let original = try NotebookFile.readBytes(path)
                var notebook = try NotebookFile.decode(original)
                notebook.assignMissingCellIDs()
                let canonical = notebook.canonicalBytes(sizeHint: original.count)
                if check {
                    if canonical != original {
                        print(path)
                        failed = true
                    }
                } else if let output {
                    try AtomicFile.write(canonical, to: output)
                } else if canonical != original {
                    try AtomicFile.write(canonical, to: path)
                }
            } catch {
                Terminal.report(path, error)
                failed = true
            }
        }
        if failed { throw Failure.failed }
    }
}
