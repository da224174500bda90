/// The verdict on one cell: do the fresh outputs show the same as the committed ones?
package struct CellComparison: Sendable {
    /// Empty when the cell matches; otherwise a readable diff, one line per entry.
    package let differences: [String]
    package var matches: Bool { differences.isEmpty }

    /// Compares channel by channel (stdout, stderr, other). Lines under the `unordered`
    /// rule are compared as a multiset; the others must match in order. A rule pattern that
    /// runs away (see `CompareRules.Pattern.matchBudget`) is an error naming the rule.
    package init(expected: OutputLines, actual: OutputLines, rules: CompareRules) throws(RuleError) {
        guard !rules.skip else {
            differences = []
            return
        }
        let matcher = LineMatcher(rules: rules)
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

    /// A line diff (`-` expected only, `+` actual only, ` ` both) over the longest common
    /// subsequence; empty when the sequences match line for line or differ only by lines the
    /// `optional` rule lets be absent (which the diff leaves out).
    static func compareOrdered(
        _ expected: [LineMatcher.Line], _ actual: [LineMatcher.Line], _ matcher: LineMatcher
    ) -> [String] {
        if expected.count == actual.count, zip(expected, actual).allSatisfy({ matcher.matches($0, $1) }) { return [] }
        let n = expected.count, m = actual.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] =
                    matcher.matches(expected[i], actual[j])
                    ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var lines: [String] = []
        var differs = false
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, matcher.matches(expected[i], actual[j]) {
                lines.append("   \(actual[j].text)")
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                if !expected[i].optional {
                    lines.append("  -\(expected[i].text)")
                    differs = true
                }
                i += 1
            } else {
                if !actual[j].optional {
                    lines.append("  +\(actual[j].text)")
                    differs = true
                }
                j += 1
            }
        }
        return differs ? lines : []
    }

    /// Multiset comparison: each expected line takes one matching actual line.
    static func compareUnordered(
        _ expected: [LineMatcher.Line], _ actual: [LineMatcher.Line], _ matcher: LineMatcher
    ) -> [String] {
        var remaining = actual
        var missing: [LineMatcher.Line] = []
        for line in expected {
            if let index = remaining.firstIndex(where: { matcher.matches(line, $0) }) {
                remaining.remove(at: index)
            } else {
                missing.append(line)
            }
        }
        return missing.filter { !$0.optional }.map { "  -\($0.text)" }
            + remaining.filter { !$0.optional }.map { "  +\($0.text)" }
    }
}
