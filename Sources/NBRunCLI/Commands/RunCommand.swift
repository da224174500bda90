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

    @OptionGroup var ci: CIOptions

    @Flag(
        help:
            "Keep each cell whose fresh outputs match the committed ones under the check rules byte for byte; write only notebooks with a changed cell."
    )
    var keepUnchanged = false

    @Flag(
        help:
            "Exit 0 even when a cell raised, and let a notebook written step by step go on after it (like nbclient's --allow-errors)."
    )
    var allowErrors = false

    @Option(
        name: .shortAndLong,
        help: "Write the result to this path and leave the input untouched (one notebook only; - for stdout).")
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Write each run cell's timeline picture to DIR/NOTEBOOK/DEMO.svg and leave every notebook untouched.",
            valueName: "DIR"))
    var timeline: String?

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func validate() throws {
        if output != nil && notebooks.count != 1 {
            throw ValidationError("-o/--output takes exactly one notebook")
        }
        if output != nil && timeline != nil {
            throw ValidationError("--timeline writes no notebook: it does not go with -o/--output")
        }
    }

    func run() throws {
        let session = try CISession(ci)
        let problems = Problems()
        let paths = session.shard(Inputs.paths(notebooks, problems: problems))
        try Inputs.requireOne(paths, for: output, argument: notebooks[0])
        var engine = options.engineOptions
        engine.continueAfterErrors = allowErrors
        engine.recordTimelines = timeline != nil
        let (plans, engineOptions) = session.admit(
            Inputs.plans(for: paths, registry: NBRun.registry, problems: problems, drift: session.stale),
            engine: engine, problems: problems)
        let results = try NBRun.withServices(for: plans) {
            Engine.run(plans, options: engineOptions, progress: Progress.reporter())
        }
        Progress.finish()
        defer { session.finishRun() }
        for (plan, result) in zip(plans, results) {
            Terminal.reportLingering(result)
            for failure in result.failures {
                problems.report(result.path, failure, as: .cell, fails: !allowErrors || failure.isTimeout)
                session.cellFailed(result.path, failure)
            }
            if let timeline {
                do {
                    _ = try TimelineFiles.write(result, under: timeline)
                } catch {
                    problems.report(result.path, error, as: .output)
                }
                continue
            }
            guard let merge = session.merge(plan, result, keepUnchanged: keepUnchanged, problems: problems) else {
                continue
            }
            do throws(NotebookError) {
                let bytes = merge.notebook.canonicalBytes()
                // Nothing ran and nothing changed (or, with --keep-unchanged, no cell changed):
                // leave the file alone (mtime included).
                let untouched =
                    keepUnchanged
                    ? merge.changedCells.isEmpty
                    : plan.steps.isEmpty && (try? NotebookFile.readBytes(result.path)) == bytes
                if output == nil, untouched {
                    session.ran(
                        plan, failures: result.failures.count, changed: merge.changedCells.count, written: false)
                    continue
                }
                try Destination.write(bytes, to: output ?? result.path)
                session.ran(plan, failures: result.failures.count, changed: merge.changedCells.count, written: true)
            } catch {
                problems.report(output ?? result.path, error, as: .output)
            }
        }
        try problems.finish()
    }
}

extension RunResult.CellFailure {
    var isTimeout: Bool {
        if case .timedOut = failure { return true }
        return false
    }
}
