import Engine
import Foundation
import Notebook

/// What `run` and `check` add for CI, kept in one place the commands call into: the rules
/// (`--config` or nbrun.json), the shard, per-cell timeouts, `--keep-unchanged`, the
/// annotations and job summary of `--format github`, and the summary line.
final class CISession {
    let options: CIOptions
    let format: ReportFormat
    private let config: RuleBook?
    private(set) var summary = Summary()
    private var annotations: [Annotation] = []
    private var rows: [[String]] = []
    /// The rules found for each folder: `nbrun.json` is read and checked once per folder, not
    /// once per notebook and use (timeouts, `--keep-unchanged`, the comparison).
    private var rulesByFolder: [String: Result<RuleBook, RuleError>] = [:]

    /// Loads `--config` first, so a bad one stops the command before anything runs.
    init(_ options: CIOptions) throws {
        self.options = options
        format = ReportFormat.resolve(options.format)
        config = try options.rules.ruleBook()
    }

    func rules(for path: String) throws(RuleError) -> RuleBook {
        if let config { return config }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        if let known = rulesByFolder[folder] { return try known.get() }
        let found = Result { () throws(RuleError) in try RuleBook.governing(path, registry: NBRun.registry) }
        rulesByFolder[folder] = found
        return try found.get()
    }

    /// The notebooks of `--shard I/N` (all of them without it).
    func shard(_ paths: [String]) -> [String] {
        guard let text = options.shard, let shard = Shard(parsing: text) else { return paths }
        return Shards.select(paths, shard: shard, registry: NBRun.registry)
    }

    /// Keeps the plans whose rules load (the others are reported) and adds what their rules
    /// ask of the run (`timeout`, `interrupt`, the kernel) to `engine`.
    func admit(_ plans: [RunPlan], engine: EngineOptions, problems: Problems) -> ([RunPlan], EngineOptions) {
        var admitted: [RunPlan] = []
        var engine = engine
        for plan in plans {
            do throws(RuleError) {
                try engine.adopt(try rules(for: plan.path), for: plan)
                admitted.append(plan)
            } catch {
                problems.report(plan.path, error, as: .rules)
            }
        }
        summary.notebooks = admitted.count
        summary.cells = admitted.reduce(0) { $0 + $1.steps.count }
        return (admitted, engine)
    }

    /// What `run` writes for a notebook: with `keepUnchanged`, the committed cells wherever
    /// the fresh outputs match under the rules; nil (reported) when the rules cannot be applied.
    func merge(_ plan: RunPlan, _ result: RunResult, keepUnchanged: Bool, problems: Problems) -> KeepUnchanged.Merge? {
        guard keepUnchanged else {
            return .init(
                notebook: result.notebook, changedCells: KeepUnchanged.changedCells(plan, fresh: result.notebook))
        }
        do throws(RuleError) {
            return try KeepUnchanged.merge(
                plan, fresh: result.notebook, registry: NBRun.registry, rules: rules(for: plan.path))
        } catch {
            problems.report(plan.path, error, as: .rules)
            return nil
        }
    }

    // MARK: - What happened, for the summary and annotations

    func stale(_ path: String, _ drift: DriftError) {
        annotations += drift.problems.map { Annotation.stale(path, $0) }
    }

    func cellFailed(_ path: String, _ failure: RunResult.CellFailure) {
        annotations.append(.failed(path, failure))
    }

    func cellDiffers(_ path: String, _ entry: NotebookComparison.Entry, diff: String) {
        annotations.append(.differs(path, entry, diff: diff))
    }

    func ran(_ plan: RunPlan, failures: Int, changed: Int, written: Bool) {
        summary.changedCells += changed
        if written { summary.rewritten += 1 }
        rows.append([plan.path, "\(plan.steps.count)", "\(changed)", "\(failures)", written ? "yes" : "no"])
    }

    func checked(_ plan: RunPlan, cells: Int, differing: Int, failures: Int) {
        summary.differingCells += differing
        rows.append([plan.path, "\(cells)", "\(differing)", "\(failures)"])
    }

    /// Annotations and job summary (github format), then the summary line (unless `-q`).
    func finishRun() {
        finish(
            summary.runLine,
            table: GitHubReport.table(
                "nbrun run", header: ["notebook", "cells run", "cells changed", "cell errors", "rewritten"], rows: rows)
        )
    }

    func finishCheck() {
        finish(
            summary.checkLine,
            table: GitHubReport.table(
                "nbrun check", header: ["notebook", "cells checked", "cells differing", "cell errors"], rows: rows))
    }

    private func finish(_ line: String, table: String) {
        if format == .github {
            GitHubReport.emit(annotations)
            GitHubReport.appendStepSummary(table + "`\(line)`\n")
        }
        if !options.quiet { Terminal.printError(line) }
    }
}
