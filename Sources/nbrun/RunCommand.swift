import ArgumentParser
import Engine
import Foundation
import Notebook

/// `nbrun [run] NOTEBOOK...`: runs the no-run cells and rewrites each notebook.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run each notebook's no-run cells and write their outputs back (the default verb).",
        discussion: """
            Every no-run code cell must match a registered Swift port; if one does not (its Python \
            changed), the notebook is refused before anything runs and is left untouched.
            """
    )

    @OptionGroup var options: RunOptions

    @Flag(help: "Exit 0 even when a cell raised (like nbclient's --allow-errors).")
    var allowErrors = false

    @Option(name: .shortAndLong, help: "Write the result to this path and leave the input untouched (one notebook only; - for stdout).")
    var output: String?

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func validate() throws {
        if output != nil && notebooks.count != 1 {
            throw ValidationError("-o/--output takes exactly one notebook")
        }
    }

    func run() throws {
        var failed = false
        let paths = Inputs.paths(notebooks, failed: &failed)
        try Inputs.requireOne(paths, for: output, argument: notebooks[0])
        let plans = Inputs.plans(for: paths, failed: &failed)
        let results = Engine.run(plans, options: options.engineOptions, progress: Progress.reporter())
        Progress.finish()
        for (plan, result) in zip(plans, results) {
            for failure in result.failures {
                Terminal.report(result.path, failure)
                if !allowErrors || failure.isTimeout { failed = true }
            }
            do throws(NotebookError) {
                let bytes = result.notebook.canonicalBytes()
                // Nothing ran and nothing changed: leave the file alone (mtime included).
                if output == nil, plan.steps.isEmpty, (try? NotebookFile.readBytes(result.path)) == bytes { continue }
                try Destination.write(bytes, to: output ?? result.path)
            } catch {
                Terminal.report(output ?? result.path, error)
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}

extension RunResult.CellFailure {
    var isTimeout: Bool {
        if case .timedOut = failure { return true }
        return false
    }
}
