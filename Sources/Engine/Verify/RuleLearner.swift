import Foundation
import Notebook

/// Learns, from a cell's CPython runs, the rules that cover how they differ and no more.
///
/// Run 0 is the reference; each other run is aligned with it channel by channel (longest
/// common subsequence under the rules learned so far). A line left over on both sides
/// that matches as it is has only moved: it gets an `unordered` pattern made from it (and
/// its variants), anchored, so only those lines may move. Left-over lines that pair up
/// token by token differ in a few places: a `mask` pattern keeps every token they share
/// and blanks only the places that differed (integers as `\d+`, anything else as the
/// values seen). Measured numbers that differ beyond the tolerance widen it to what was
/// seen. A line that pairs up with nothing is present in some runs and absent in others (a
/// child's line that races the cell's end): it gets an `optional` pattern made from it (and
/// its variants, alike as a mask's), anchored. This repeats until the runs match or nothing
/// more is learned; a blank line that comes and goes, or lines run together (two writers on
/// one line), make the cell one CPython cannot repeat.
struct RuleLearner {
    let base: CompareRules
    private(set) var variants: [String: [String]] = [:]  // channel + base line -> texts seen
    private(set) var maskKeys: [String] = []
    private(set) var movedKeys: [String] = []
    private(set) var relative: Double?
    private(set) var unrepeatable: String?
    /// Lines that come and go, grouped by likeness: each group is one `optional` pattern.
    private(set) var absentLines = OptionalLines()

    init(defaults: CompareRules) {
        var base = CompareRules()
        base.relativeTolerance = defaults.relativeTolerance
        base.absoluteTolerance = defaults.absoluteTolerance
        self.base = base
    }

    static func suggest(runs: [OutputLines], defaults: CompareRules, current: CompareRules) throws(RuleError)
        -> RuleSuggestion?
    {
        guard runs.count > 1, !(try allMatch(runs, current)) else { return nil }
        var learner = RuleLearner(defaults: defaults)
        for _ in 0..<4 {
            let rules = try learner.rules()
            if try allMatch(runs, rules) { break }
            let learned = try learner.learn(runs, under: rules)
            if learner.unrepeatable != nil || !learned { break }
        }
        let rules = try learner.rules()
        if let why = learner.unrepeatable { return .cannotRepeat(why) }
        guard try allMatch(runs, rules) else {
            return .cannotRepeat("its runs still differ under every rule learned from them")
        }
        if let hidden = try RuleNarrowness.hiddenChange(
            in: runs[0], under: rules, absentSometimes: learner.absentLines.absentFromReference)
        {
            return .tooBroad(hidden)
        }
        return .rules(learner.entry)
    }

    /// Whether every run matches run 0 under `rules`.
    static func allMatch(_ runs: [OutputLines], _ rules: CompareRules) throws(RuleError) -> Bool {
        for run in runs.dropFirst() where !(try CellComparison(expected: runs[0], actual: run, rules: rules).matches) {
            return false
        }
        return true
    }

    /// The suggested entry, in a fixed key order (tolerance, unordered, mask, optional).
    var entry: JSONObject {
        var members: [(key: String, value: JSONValue)] = []
        if let relative {
            members.append(("tolerance", .object(JSONObject([("relative", .real(relative))]))))
        }
        let unordered = unorderedPatterns
        if !unordered.isEmpty {
            members.append(
                ("unordered", unordered.count == 1 ? .string(unordered[0]) : .array(unordered.map { .string($0) })))
        }
        let masks = maskPatterns
        if !masks.isEmpty { members.append(("mask", .array(masks.map { .string($0) }))) }
        let optional = absentLines.patterns
        if !optional.isEmpty {
            members.append(
                ("optional", optional.count == 1 ? .string(optional[0]) : .array(optional.map { .string($0) })))
        }
        return JSONObject(members)
    }

    var maskPatterns: [String] {
        unique(maskKeys.compactMap { key in variants[key].map { LineTemplate($0).pattern(capture: true) } })
    }

    /// Lines that moved, but not those also optional: an optional line may appear anywhere.
    var unorderedPatterns: [String] {
        let optional = absentLines.patterns
        return unique(movedKeys.compactMap { key in variants[key].map { LineTemplate($0).pattern(capture: false) } })
            .filter { !optional.contains($0) }
    }

    private func unique(_ patterns: [String]) -> [String] {
        var seen: [String] = []
        for pattern in patterns where !seen.contains(pattern) { seen.append(pattern) }
        return seen
    }

    /// The rules learned so far, over the defaults' tolerance.
    func rules() throws(RuleError) -> CompareRules {
        var rules = base
        var object: [(key: String, value: JSONValue)] = []
        if let relative { object.append(("tolerance", .object(JSONObject([("relative", .real(relative))])))) }
        if !unorderedPatterns.isEmpty { object.append(("unordered", .array(unorderedPatterns.map { .string($0) }))) }
        if !maskPatterns.isEmpty { object.append(("mask", .array(maskPatterns.map { .string($0) }))) }
        if !absentLines.patterns.isEmpty {
            object.append(("optional", .array(absentLines.patterns.map { .string($0) })))
        }
        try rules.apply(JSONObject(object), origin: "suggested rule")
        return rules
    }

    /// One pass over the runs; whether anything new was learned.
    private mutating func learn(_ runs: [OutputLines], under rules: CompareRules) throws(RuleError) -> Bool {
        let before = (maskKeys, movedKeys, relative, variants.values.map(\.count).reduce(0, +), absentLines)
        let matcher = LineMatcher(rules: rules, budget: PatternBudget())
        for (number, run) in runs.enumerated().dropFirst() {
            for (reference, other) in zip(runs[0].channels, run.channels) {
                try align(reference.lines, other.lines, channel: reference.name, run: number, matcher: matcher)
                if unrepeatable != nil { return false }
            }
        }
        return before.0 != maskKeys || before.1 != movedKeys || before.2 != relative
            || before.3 != variants.values.map(\.count).reduce(0, +) || before.4 != absentLines
    }

    private mutating func align(
        _ reference: [String], _ other: [String], channel: String, run: Int, matcher: LineMatcher
    ) throws(RuleError) {
        let left: [LineMatcher.Line], right: [LineMatcher.Line]
        do {
            left = try matcher.prepare(reference)
            right = try matcher.prepare(other)
        } catch {
            throw error.ruleError
        }
        let (allLeft, allRight) = Self.unmatched(left, right, matcher)
        // Lines the `optional` patterns learned so far cover are absent here, nothing more.
        for index in allLeft where left[index].optional {
            absentLines.noteAbsent(channel: channel, referenceIndex: index)
        }
        let leftOver = allLeft.filter { !left[$0].optional }
        let rightOver = allRight.filter { !right[$0].optional }
        if let torn = OptionalLines.runTogether(leftOver.map { reference[$0] }, rightOver.map { other[$0] }) {
            unrepeatable = "\(channel) of run 1 and run \(run + 1) differ by two lines run together: \(torn)"
            return
        }
        var remaining = rightOver
        var unpaired: [Int] = []
        for index in leftOver {
            let key = "\(channel)\u{0}\(index)"
            if let found = remaining.firstIndex(where: { matcher.matches(left[index], right[$0]) }) {
                note(key, reference[index], other[remaining.remove(at: found)], moved: true)
            } else {
                unpaired.append(index)
            }
        }
        var absent: [Int] = []
        for index in unpaired {
            let key = "\(channel)\u{0}\(index)"
            let candidates = remaining.map { ($0, Self.similarity(reference[index], other[$0])) }
            guard let best = candidates.max(by: { $0.1 < $1.1 }), best.1 >= 0.5 else {
                absent.append(index)
                continue
            }
            remaining.removeAll { $0 == best.0 }
            let text = other[best.0]
            if !widenTolerance(reference[index], text) {
                note(key, reference[index], text, moved: false)
                if !maskKeys.contains(key) { maskKeys.append(key) }
            }
            // A varying line that also moved: its pattern must let it move too.
            if Self.position(of: best.0, in: rightOver) != Self.position(of: index, in: leftOver),
                !movedKeys.contains(key)
            {
                movedKeys.append(key)
            }
        }
        // What pairs with nothing is present in one run and absent in the other: optional,
        // unless it is blank (the newline two `print`s left behind when they ran together).
        for index in absent {
            guard !reference[index].allSatisfy(\.isWhitespace) else {
                unrepeatable =
                    "\(channel) line \(index + 1) of run 1 (\(reference[index])) has no counterpart in run \(run + 1)"
                return
            }
            absentLines.add(reference[index], channel: channel, referenceIndex: index)
        }
        for extra in remaining {
            guard !other[extra].allSatisfy(\.isWhitespace) else {
                unrepeatable = "run \(run + 1) prints a line run 1 does not (\(channel): \(other[extra]))"
                return
            }
            absentLines.add(other[extra], channel: channel, referenceIndex: nil)
        }
    }

    private static func position(of index: Int, in list: [Int]) -> Int? { list.firstIndex(of: index) }

    private mutating func note(_ key: String, _ reference: String, _ text: String, moved: Bool) {
        var seen = variants[key] ?? [reference]
        if !seen.contains(text) { seen.append(text) }
        variants[key] = seen
        if moved, !movedKeys.contains(key) { movedKeys.append(key) }
    }

    /// Two lines that differ only in real numbers: the tolerance is widened to what they
    /// need (rounded up to the next 0.05), and true is returned.
    private mutating func widenTolerance(_ a: String, _ b: String) -> Bool {
        let left = LineTokens(a).tokens, right = LineTokens(b).tokens
        guard left.count == right.count else { return false }
        var needed = 0.0
        for (x, y) in zip(left, right) where x.text != y.text {
            guard x.kind == .real, y.kind == .real, let p = Double(x.text), let q = Double(y.text) else { return false }
            let scale = max(abs(p), abs(q))
            guard scale > 0 else { return false }
            needed = max(needed, (abs(p - q) - base.absoluteTolerance) / scale)
        }
        guard needed > 0 else { return false }
        let rounded = (needed * 20).rounded(.up) / 20
        relative = max(relative ?? base.relativeTolerance, rounded)
        return true
    }

    /// How alike two lines are, token by token (0...1): shared tokens over the longer line.
    static func similarity(_ a: String, _ b: String) -> Double {
        let left = LineTokens(a).tokens.map(\.text), right = LineTokens(b).tokens.map(\.text)
        let longest = max(left.count, right.count)
        guard longest > 0 else { return 1 }
        var prefix = 0
        while prefix < min(left.count, right.count), left[prefix] == right[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(left.count, right.count) - prefix,
            left[left.count - 1 - suffix] == right[right.count - 1 - suffix]
        {
            suffix += 1
        }
        if left.count == right.count {
            let same = zip(left, right).filter { $0 == $1 }.count
            return Double(max(same, prefix + suffix)) / Double(longest)
        }
        return Double(prefix + suffix) / Double(longest)
    }

    /// The indices of each side left out of their longest common subsequence.
    static func unmatched(_ left: [LineMatcher.Line], _ right: [LineMatcher.Line], _ matcher: LineMatcher)
        -> ([Int], [Int])
    {
        let n = left.count, m = right.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] =
                    matcher.matches(left[i], right[j]) ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var leftOver: [Int] = [], rightOver: [Int] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, matcher.matches(left[i], right[j]) {
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                leftOver.append(i)
                i += 1
            } else {
                rightOver.append(j)
                j += 1
            }
        }
        return (leftOver, rightOver)
    }
}
