import Notebook

/// Compares the code cells of two versions of a notebook under the repository's rules.
package enum NotebookComparison {
    /// One compared cell.
    package struct Entry: Sendable {
        package let label: CellLabel
        /// `notebook/name` of the demo porting the cell, when one does.
        package let demo: String?
        package let comparison: CellComparison
    }

    /// Compares cells pairwise: each pair is (index in `expected`, index in `actual`). A rule
    /// that cannot be applied to a cell (a `metadata.nbrun` that is no object, a pattern that
    /// runs away, rules that spend `budget`, the notebook's one `PatternBudget`) is an error
    /// naming the cell and the rule.
    package static func compare(
        expected: Notebook, actual: Notebook, pairs: [(Int, Int)], path: String,
        registry: DemoRegistry, rules: RuleBook, budget: PatternBudget = PatternBudget()
    ) throws(RuleError) -> [Entry] {
        let match = registry.matcher(for: expected, named: RunPlan.notebookName(of: path))
        var entries: [Entry] = []
        for (index, other) in pairs where expected.cells.indices.contains(index) && actual.cells.indices.contains(other)
        {
            let cell = expected.cells[index]
            var demo: String?
            if case .matched(let found) = match(cell) {
                demo = found.id
            }
            let label = CellLabel(index: index, cell: cell)
            let comparison: CellComparison
            do {
                comparison = try CellComparison(
                    expected: OutputLines(cell.outputs ?? []),
                    actual: OutputLines(actual.cells[other].outputs ?? []), rules: rules.rules(for: cell, demo: demo),
                    budget: budget)
            } catch {
                throw RuleError("\(label): \(error.origin)", error.problem)
            }
            entries.append(Entry(label: label, demo: demo, comparison: comparison))
        }
        return entries
    }

    /// Pairs the code cells of two notebooks for `diff`: by id when every code cell of both has
    /// one and both hold the same ids, else by position. A repeated id (a pasted cell) pairs
    /// its occurrences in order, the first with the first; an occurrence with no partner on
    /// the other side stays unpaired (`unpaired`). Returns nil when they cannot be paired.
    package static func pairCodeCells(_ a: Notebook, _ b: Notebook) -> [(Int, Int)]? {
        let left = a.cells.indices.filter { a.cells[$0].type == .code }
        let right = b.cells.indices.filter { b.cells[$0].type == .code }
        let leftIDs = left.compactMap { a.cells[$0].id }, rightIDs = right.compactMap { b.cells[$0].id }
        if leftIDs.count == left.count, rightIDs.count == right.count, Set(leftIDs) == Set(rightIDs) {
            var waiting: [String: ArraySlice<Int>] = [:]
            for index in right { waiting[b.cells[index].id ?? "", default: []].append(index) }
            return left.compactMap { index in
                let id = a.cells[index].id ?? ""
                guard let partner = waiting[id]?.popFirst() else { return nil }
                return (index, partner)
            }
        }
        guard left.count == right.count else { return nil }
        return Array(zip(left, right))
    }

    /// The code cells of `notebook` that `pairs` leave out (`side` 0: the first notebook's
    /// indices, 1: the second's): the extra occurrences of a repeated id.
    package static func unpaired(_ notebook: Notebook, pairs: [(Int, Int)], side: Int) -> [Int] {
        let paired = Set(pairs.map { side == 0 ? $0.0 : $0.1 })
        return notebook.cells.indices.filter { notebook.cells[$0].type == .code && !paired.contains($0) }
    }
}
