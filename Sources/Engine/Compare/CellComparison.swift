/// The verdict on one cell: do the fresh outputs show the same as the committed ones?
package struct CellComparison: Sendable {
    /// Empty when the cell matches; otherwise a readable diff, one line per entry.
    package let differences: [String]
    package var matches: Bool { differences.isEmpty }

    /// Compares channel by channel (stdout, stderr, other). Lines under the `unordered`
    /// rule are compared as a multiset; the others must match in order. A rule pattern that
    /// runs away (see `CompareRules.Pattern.matchBudget`), or rules that spend all of
    /// `budget` (the notebook's, shared by its cells: `PatternBudget`), is an error naming
    /// the rule.
    package init(
        expected: OutputLines, actual: OutputLines, rules: CompareRules, budget: PatternBudget = PatternBudget()
    ) throws(RuleError) {
        guard !rules.skip else {
            differences = []
            return
        }
        let matcher = LineMatcher(rules: rules, budget: budget)
        var report: [String] = []
        for (expectedChannel, actualChannel) in zip(expected.channels, actual.channels) {
            let left: [LineMatcher.Line], right: [LineMatcher.Line]
            do {
                left = try matcher.prepare(expectedChannel.lines)
                right = try matcher.prepare(actualChannel.lines)
            } catch {
                throw error.ruleError
            }
            let ordered = Self.compareOrdered(left.filter { !$0.unordered }, right.filter { !$0.unordered }, matcher)
            let unordered = Self.compareUnordered(left.filter(\.unordered), right.filter(\.unordered), matcher)
            guard !ordered.isEmpty || !unordered.isEmpty else { continue }
            report.append("\(expectedChannel.name):")
            report += ordered
            if !unordered.isEmpty {
                report.append("  (lines compared in any order:)")
                report += unordered
            }
        }
        differences = report
    }

    /// A line diff (`-` expected only, `+` actual only, ` ` both), a shortest one
    /// (`LineDiff`); empty when the sequences match line for line or differ only by lines the
    /// `optional` rule lets be absent (which the diff leaves out).
    static func compareOrdered(
        _ expected: [LineMatcher.Line], _ actual: [LineMatcher.Line], _ matcher: LineMatcher
    ) -> [String] {
        if expected.count == actual.count, zip(expected, actual).allSatisfy({ matcher.matches($0, $1) }) { return [] }
        var differs = false
        let lines = LineDiff.steps(expected.count, actual.count) { matcher.matches(expected[$0], actual[$1]) }
            .compactMap { step -> String? in
                switch step {
                case .both(_, let j): return "   \(actual[j].text)"
                case .removed(let i):
                    guard !expected[i].optional else { return nil }
                    differs = true
                    return "  -\(expected[i].text)"
                case .added(let j):
                    guard !actual[j].optional else { return nil }
                    differs = true
                    return "  +\(actual[j].text)"
                }
            }
        return differs ? lines : []
    }

    /// Multiset comparison: each expected line takes one matching actual line still free:
    /// one with the very same text if there is one, else the first within tolerance. Only
    /// lines of the same shape (text without its numbers) can match, so candidates are
    /// looked up, not scanned; the scans for tolerance stop after `unorderedWorkLimit`
    /// comparisons (then a line without an exact partner counts as differing).
    static func compareUnordered(
        _ expected: [LineMatcher.Line], _ actual: [LineMatcher.Line], _ matcher: LineMatcher
    ) -> [String] {
        var byShape: [String: [Int]] = [:], byText: [String: ArraySlice<Int>] = [:]
        for (index, line) in actual.enumerated() {
            byShape[line.shape, default: []].append(index)
            byText[line.key, default: []].append(index)
        }
        var taken = [Bool](repeating: false, count: actual.count)
        var work = unorderedWorkLimit
        var missing: [LineMatcher.Line] = []
        for line in expected {
            let key = line.key
            while let first = byText[key]?.first, taken[first] { byText[key]?.removeFirst() }
            if let exact = byText[key]?.popFirst() {
                taken[exact] = true
                continue
            }
            let found = byShape[line.shape]?.first { index in
                guard work > 0, !taken[index] else { return false }
                work -= 1
                return matcher.matches(line, actual[index])
            }
            if let found { taken[found] = true } else { missing.append(line) }
        }
        let extra = actual.indices.filter { !taken[$0] }.map { actual[$0] }
        return missing.filter { !$0.optional }.map { "  -\($0.text)" }
            + extra.filter { !$0.optional }.map { "  +\($0.text)" }
    }

    /// Tolerance comparisons one cell's unordered lines may take.
    static let unorderedWorkLimit = 5_000_000
}
