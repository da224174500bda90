import Foundation
import Notebook

extension RuleBook {
    /// The `timeout` rule (seconds) of each planned cell that has one: its demo's entry in
    /// `nbrun.json`, overridden by the cell's `metadata.nbrun`.
    package func timeouts(for plan: RunPlan) throws(RuleError) -> [Int: TimeInterval] {
        var timeouts: [Int: TimeInterval] = [:]
        for step in plan.steps {
            let cell = plan.notebook.cells[step.cellIndex]
            let rules = try rules(for: cell, demo: step.demo.id)
            if let seconds = rules.timeout { timeouts[step.cellIndex] = seconds }
        }
        return timeouts
    }
}

extension RuleBook {
    /// The planned cells whose `interrupt` rule is on (the demo's entry in `nbrun.json`,
    /// overridden by the cell's `metadata.nbrun`): interrupted at their timeout.
    package func interrupts(for plan: RunPlan) throws(RuleError) -> Set<Int> {
        var cells: Set<Int> = []
        for step in plan.steps {
            let cell = plan.notebook.cells[step.cellIndex]
            if try rules(for: cell, demo: step.demo.id).interrupt { cells.insert(step.cellIndex) }
        }
        return cells
    }
}
