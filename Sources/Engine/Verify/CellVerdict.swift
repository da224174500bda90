import Notebook

/// The verdict of `verify` on one `no-run` cell: nbrun's runs against CPython's.
package struct CellVerdict: Sendable {
    package let label: CellLabel
    package let demo: String?
    package let source: String
    /// Each CPython run's outputs, as the comparison reads them.
    package let cpython: [OutputLines]
    /// Each nbrun run's outputs.
    package let nbrun: [OutputLines]
    /// Each of nbrun's runs matches one of CPython's, under the cell's rules.
    package let faithful: Bool
    /// For the first nbrun run that matches no CPython run: the diff against the closest
    /// one (fewest differing lines), `-` CPython, `+` nbrun; empty when faithful.
    package let differences: [String]
    /// Which CPython run (0-based) the diff is against.
    package let closestRun: Int?
    /// What CPython's own variation asks of the rules, when the cell's rules do not cover it.
    package var suggestion: RuleSuggestion?
    /// Set when the cell is faithful only thanks to rules CPython's runs never needed: they
    /// all agree under the defaults alone, and nbrun's do not match them so. The diff, under
    /// the defaults, of nbrun's first such run against CPython's first: a rule that may be
    /// hiding a real difference (a note, not a failure: more runs may show CPython varying).
    package var hiddenByRules: [String]?

    /// Judges the cell at `index` of the notebooks. A rule that cannot be applied is thrown.
    static func judge(
        index: Int, demo: String?, cpython: [Notebook], nbrun: [Notebook], rules: CompareRules,
        defaults: CompareRules
    ) throws(RuleError) -> CellVerdict {
        let label = CellLabel(index: index, cell: cpython.first?.cells[index] ?? nbrun[0].cells[index])
        let expected = cpython.map { OutputLines($0.cells[index].outputs ?? []) }
        let actual = nbrun.map { OutputLines($0.cells[index].outputs ?? []) }
        var differences: [String] = []
        var closest: Int?
        var faithful = !expected.isEmpty
        for run in actual {
            var best: (run: Int, differences: [String])?
            for (position, reference) in expected.enumerated() {
                let comparison = try CellComparison(expected: reference, actual: run, rules: rules)
                if best == nil || comparison.differences.count < best?.differences.count ?? 0 {
                    best = (position, comparison.differences)
                }
                if comparison.matches { break }
            }
            guard let best, best.differences.isEmpty else {
                if faithful, let best {
                    differences = best.differences
                    closest = best.run
                }
                faithful = false
                continue
            }
        }
        let cell = nbrun.first?.cells[index] ?? cpython[0].cells[index]
        var verdict = CellVerdict(
            label: label, demo: demo, source: cell.source, cpython: expected, nbrun: actual, faithful: faithful,
            differences: differences, closestRun: closest, suggestion: nil)
        if faithful, expected.count > 1, try RuleLearner.allMatch(expected, defaults) {
            for run in actual {
                let bare = try CellComparison(expected: expected[0], actual: run, rules: defaults)
                if !bare.matches {
                    verdict.hiddenByRules = bare.differences
                    break
                }
            }
        }
        return verdict
    }
}
