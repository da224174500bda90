import Foundation
import Notebook

/// `nbrun verify`: each notebook's `no-run` cells run in real kernels and by their ports,
/// the same number of times, and judged cell by cell (`CellVerdict`).
package enum Verification {
    /// One notebook's verdicts.
    package struct NotebookReport: Sendable {
        package let path: String
        package var verdicts: [CellVerdict]
        /// Kernel runs that could not be made, and why nbclient stopped a run early.
        package var kernelProblems: [String]
        package var cpythonRuns: Int
    }

    /// The CPython runs (from `KernelBatch`) and nbrun's runs of every plan.
    package struct Runs: Sendable {
        package let cpython: [KernelBatch.NotebookRuns]
        package let nbrun: [[Notebook]]

        /// These runs with more CPython runs of some notebooks: `extra[i]` are more runs of
        /// the notebook at `indices[i]`.
        package func adding(cpython extra: [KernelBatch.NotebookRuns], at indices: [Int]) -> Runs {
            var cpython = cpython
            for (more, index) in zip(extra, indices) {
                cpython[index].executed += more.executed
                cpython[index].stopped += more.stopped
                cpython[index].failures += more.failures
            }
            return Runs(cpython: cpython, nbrun: nbrun)
        }
    }

    /// Runs the kernels, then the ports (never side by side: kernels would distort what
    /// the ports measure). The caller starts the course's services for both.
    package static func run(
        _ plans: [RunPlan], rules: [RuleBook], python: String, runs: Int, engine: EngineOptions
    ) throws -> Runs {
        let cpython = try KernelBatch.run(plans, rules: rules, python: python, runs: runs)
        // The ports: every run of every notebook in one batch, as admission paces any batch.
        let copies = (0..<runs).flatMap { _ in plans }
        let results = Engine.run(copies, options: engine)
        let nbrun = plans.indices.map { index in (0..<runs).map { results[$0 * plans.count + index].notebook } }
        return Runs(cpython: cpython, nbrun: nbrun)
    }

    /// Judges every planned cell; with `suggest`, learns the rules its CPython runs need
    /// where the rules in force do not cover how they vary (and the `optional` lines nbrun's
    /// runs print in some runs only, where that is all that keeps the cell from being faithful).
    package static func judge(
        _ plan: RunPlan, cpython: KernelBatch.NotebookRuns, nbrun: [Notebook], rules: RuleBook, suggest: Bool
    )
        throws(RuleError) -> NotebookReport
    {
        var verdicts: [CellVerdict] = []
        let defaults = try rules.defaultRules()
        for step in plan.steps {
            let cell = plan.notebook.cells[step.cellIndex]
            let label = CellLabel(index: step.cellIndex, cell: cell)
            do throws(RuleError) {
                let cellRules = try rules.rules(for: cell, demo: step.demo.id)
                var verdict = try CellVerdict.judge(
                    index: step.cellIndex, demo: step.demo.id, cpython: cpython.executed, nbrun: nbrun,
                    rules: cellRules,
                    defaults: defaults)
                if suggest {
                    verdict.suggestion = try RuleLearner.suggest(
                        cpython: verdict.cpython, nbrun: verdict.nbrun, faithful: verdict.faithful,
                        defaults: defaults, current: cellRules)
                }
                verdicts.append(verdict)
            } catch {
                throw RuleError("\(label): \(error.origin)", error.problem)
            }
        }
        let problems = cpython.failures + cpython.stopped.map { "nbclient stopped a run early: \($0)" }
        return NotebookReport(
            path: plan.path, verdicts: verdicts, kernelProblems: problems, cpythonRuns: cpython.executed.count)
    }
}

extension RuleBook {
    /// The defaults alone, as a cell with no demo entry and no metadata gets them.
    func defaultRules() throws(RuleError) -> CompareRules {
        var rules = CompareRules()
        try rules.apply(defaults, origin: "\(path ?? RuleBook.fileName): defaults")
        return rules
    }
}
