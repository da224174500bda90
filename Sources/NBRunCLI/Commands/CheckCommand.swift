import ArgumentParser
import Engine
import Foundation
import Notebook

/// `nbrun check NOTEBOOK...`: regenerates each notebook in memory and compares the fresh
/// outputs of its no-run cells with the committed ones. Nothing is written.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Fail when fresh outputs of no-run cells differ from the committed ones (nothing is written).",
        discussion: """
            Timings match within a tolerance, scheduling-ordered lines can compare in any order and \
            unpredictable values can be masked: see the rules in the README (nbrun.json, metadata.nbrun). \
            Exit 0 when every cell matches, 1 when any differs.
            """
    )

    @OptionGroup var options: RunOptions

    @OptionGroup var ci: CIOptions

    @Option(help: "Also write a JUnit XML report: one testcase per checked cell (- for stdout).")
    var junit: String?

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func run() throws {
        let session = try CISession(ci)
        let problems = Problems()
        let paths = session.shard(Inputs.paths(notebooks, problems: problems))
        let (plans, admitted) = session.admit(
            Inputs.plans(for: paths, registry: NBRun.registry, problems: problems, drift: session.stale),
            engine: options.engineOptions, problems: problems)
        var engineOptions = admitted
        engineOptions.defaultTimeoutFactor = 20  // a cell that hangs fails instead
        let results = try NBRun.withServices(for: plans) {
            Engine.run(plans, options: engineOptions, progress: Progress.reporter())
        }
        Progress.finish()
        defer { session.finishCheck() }
        var report = JUnitReport()
        for (plan, result) in zip(plans, results) {
            Terminal.reportLingering(result)
            let entries: [NotebookComparison.Entry]
            do {
                let rules = try session.rules(for: plan.path)
                entries = try NotebookComparison.compare(
                    expected: plan.notebook, actual: result.notebook,
                    pairs: plan.steps.map { ($0.cellIndex, $0.cellIndex) },
                    path: plan.path, registry: NBRun.registry, rules: rules)
            } catch {
                problems.report(plan.path, error, as: .rules)
                continue
            }
            result.failures.forEach { session.cellFailed(plan.path, $0) }
            let failedCells = Set(result.failures.map(\.cell.position))
            var notebookDiffers = 0
            for entry in entries {
                let index = entry.label.position - 1
                let diff = entry.comparison.differences.joined(separator: "\n")
                if !entry.comparison.matches {
                    problems.record(.regression)
                    notebookDiffers += 1
                    if !failedCells.contains(entry.label.position) { session.cellDiffers(plan.path, entry, diff: diff) }
                    Terminal.printReport(
                        Reporting.heading(plan.path, entry) + ": outputs differ from the committed notebook")
                    Terminal.printReport(Reporting.legend("committed", "fresh run"))
                    Terminal.printReport(diff)
                }
                report.cases.append(
                    .init(
                        notebook: plan.path, name: Reporting.name(entry),
                        seconds: result.seconds[index] ?? 0,
                        failure: entry.comparison.matches ? nil : diff))
            }
            session.checked(plan, cells: entries.count, differing: notebookDiffers, failures: result.failures.count)
        }
        if let junit {
            do throws(NotebookError) {
                try Destination.write(Array(report.xml.utf8), to: junit)
            } catch {
                problems.report(junit, error, as: .output)
            }
        }
        try problems.finish()
    }
}
