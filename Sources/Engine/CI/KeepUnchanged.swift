import Notebook

/// `run --keep-unchanged`: a cell whose fresh outputs match the committed ones under the
/// `check` rules keeps its committed outputs, execution count and timing metadata byte for
/// byte, so regenerating an unchanged course changes no file.
package enum KeepUnchanged {
    package struct Merge: Sendable {
        /// The notebook to write: fresh cells where they changed, committed cells elsewhere.
        package let notebook: Notebook
        /// Indexes of the cells whose fresh outputs differ from the committed ones.
        package let changedCells: [Int]

        package init(notebook: Notebook, changedCells: [Int]) {
            self.notebook = notebook
            self.changedCells = changedCells
        }
    }

    /// Merges the fresh run of `plan` with the committed notebook it was planned from.
    package static func merge(
        _ plan: RunPlan, fresh: Notebook, registry: DemoRegistry,
        rules: RuleBook
    ) throws(RuleError) -> Merge {
        let cells = plan.steps.map(\.cellIndex)
        let entries = try NotebookComparison.compare(
            expected: plan.notebook, actual: fresh, pairs: cells.map { ($0, $0) },
            path: plan.path, registry: registry, rules: rules)
        var merged = fresh
        var changed: [Int] = []
        for entry in entries {
            let index = entry.label.position - 1
            guard entry.comparison.matches else {
                changed.append(index)
                continue
            }
            // The committed cell differs from the fresh one only in what a run writes
            // (outputs, count, timing) and possibly a newly assigned id, which stays.
            var kept = plan.notebook.cells[index]
            kept.id = merged.cells[index].id
            merged.cells[index] = kept
        }
        return Merge(notebook: merged, changedCells: changed)
    }

    /// Cells whose outputs differ at all (exactly, no rules): what a plain `run` changed.
    package static func changedCells(_ plan: RunPlan, fresh: Notebook) -> [Int] {
        plan.steps.map(\.cellIndex).filter { plan.notebook.cells[$0].outputs != fresh.cells[$0].outputs }
    }
}
