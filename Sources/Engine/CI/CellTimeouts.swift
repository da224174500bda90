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
