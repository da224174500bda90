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

    @Option(name: .shortAndLong, help: "Write the result to this path instead (one notebook only; - for stdout).")
    var output: String?

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func validate() throws {
        if output != nil && (notebooks.count != 1 || check) {
            throw ValidationError("-o/--output takes exactly one notebook and no --check")
        }
    }

    func run() throws {
        let problems = Problems()
        let paths = Inputs.paths(notebooks, problems: problems)
        try Inputs.requireOne(paths, for: output, argument: notebooks[0])
        for path in paths {
            let original: [UInt8], canonical: [UInt8]
            do throws(NotebookError) {
                original = try NotebookFile.readBytes(path)
                var notebook = try NotebookFile.decode(original)
                notebook.assignMissingCellIDs()
                canonical = notebook.canonicalBytes(sizeHint: original.count)
            } catch {
                problems.report(path, error, as: .input)
                continue
            }
            if check {
                if canonical != original {
                    print(path)
                    problems.record(.regression)
                }
                continue
            }
            let target = output ?? path
            guard output != nil || canonical != original else { continue }  // already canonical: untouched
            do throws(NotebookError) {
                try Destination.write(canonical, to: target)
            } catch {
                problems.report(target, error, as: .output)
            }
        }
        try problems.finish()
    }
}
