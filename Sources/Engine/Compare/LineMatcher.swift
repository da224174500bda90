import Foundation

/// Decides whether two output lines are the same under a cell's rules: masked parts
/// blanked, measured numbers within tolerance, everything else exact.
struct LineMatcher {
    let rules: CompareRules
    /// What the rules' patterns may still spend, shared by every cell of the notebook.
    let budget: PatternBudget

    /// A line as the comparison sees it, worked out once: the diff compares every expected
    /// line with many actual ones, and a rule's patterns should run once per line, not per pair.
    struct Line: Sendable {
        /// The line as it was written.
        let text: String
        /// Its text with masks applied and numbers replaced by a placeholder.
        let shape: String
        /// A hash of `shape`: most pairs the diff compares differ, and this tells at once.
        let shapeHash: Int
        /// Its numbers, in order.
        let numbers: [String]
        /// Whether it falls under the cell's `unordered` rule.
        let unordered: Bool

        /// Its shape and numbers in one string: lines with equal keys match.
        var key: String { shape + "\u{1}" + numbers.joined(separator: "\u{1}") }
        /// Whether it may be absent (the cell's `optional` rule).
        var optional = false
    }

    /// A number in a line: `0.50`, `-3`, `1e-05`. A letter or `_` right before it keeps it part
    /// of a word, so the `0` of `T0` is no number and `T0` vs `T1` differ as text; after `/`
    /// or a space it is one (`site/3`). Only reals (a point or an exponent) get a tolerance.
    // A constant pattern, checked by the tests: compiling it cannot fail at run time.
    private static let number = try! NSRegularExpression(pattern: #"(?<![A-Za-z_])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"#)

    /// The lines prepared for comparison; a rule pattern that runs away stops it.
    func prepare(_ lines: [String]) throws(PatternRunaway) -> [Line] {
        var prepared: [Line] = []
        prepared.reserveCapacity(lines.count)
        let patterns = !rules.masks.isEmpty || { if case .matching = rules.unordered { true } else { false } }()
        for text in lines {
            if patterns { budget.earn(characters: text.utf16.count) }
            let (shape, numbers) = Self.split(try masked(text))
            var line = Line(
                text: text, shape: shape, shapeHash: shape.hashValue, numbers: numbers,
                unordered: try isUnordered(text))
            for pattern in rules.optional where try pattern.isFound(in: text, budget: budget) {
                line.optional = true
                break
            }
            prepared.append(line)
        }
        return prepared
    }

    /// The line with every mask's match (or capture groups) replaced by `<masked>`, mask after
    /// mask. Each replacement is one pass over the line, and it spends the budget: its CPU
    /// time, and what it writes (a mask matching empty text writes `<masked>` at every place).
    func masked(_ line: String) throws(PatternRunaway) -> String {
        var text = line
        for mask in rules.masks {
            let matches = try mask.matches(in: text, budget: budget)
            guard !matches.isEmpty else { continue }
            let started = PatternBudget.now
            text = Self.replacing(Self.maskedRanges(matches), in: text)
            budget.spend(seconds: PatternBudget.now - started)
            budget.spend(characters: text.utf16.count)
            if budget.remaining < 0 {
                throw PatternRunaway(
                    pattern: mask, reason: .notebookSpent, lineLength: line.utf16.count, budget: budget.allowance)
            }
        }
        return text
    }

    private static let placeholder = Array("<masked>".utf16)

    /// What the matches blank, in order: their capture groups if they have any, else the
    /// whole match; overlapping ranges (nested groups) as one, an empty one once per place.
    static func maskedRanges(_ matches: [NSTextCheckingResult]) -> [NSRange] {
        var ranges: [NSRange] = []
        for match in matches {
            let groups =
                match.numberOfRanges > 1 ? (1..<match.numberOfRanges).map { match.range(at: $0) } : [match.range]
            ranges += groups.filter { $0.location != NSNotFound }
        }
        ranges.sort { ($0.location, $0.length) < ($1.location, $1.length) }
        var merged: [NSRange] = []
        for range in ranges {
            if let last = merged.last, range.location < NSMaxRange(last) || range == last {
                merged[merged.count - 1].length = max(NSMaxRange(last), NSMaxRange(range)) - last.location
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// `text` with each of `ranges` (sorted, disjoint, UTF-16) replaced by the placeholder.
    static func replacing(_ ranges: [NSRange], in text: String) -> String {
        let units = Array(text.utf16)
        var result: [UInt16] = []
        result.reserveCapacity(units.count + ranges.count * placeholder.count)
        var cursor = 0
        for range in ranges where range.location >= cursor && NSMaxRange(range) <= units.count {
            result += units[cursor..<range.location]
            result += placeholder
            cursor = NSMaxRange(range)
        }
        result += units[cursor...]
        return String(decoding: result, as: UTF16.self)
    }

    func matches(_ expected: Line, _ actual: Line) -> Bool {
        guard expected.shapeHash == actual.shapeHash, expected.numbers.count == actual.numbers.count,
            expected.shape == actual.shape
        else { return false }
        return zip(expected.numbers, actual.numbers).allSatisfy(numbersMatch)
    }

    /// Integers must be equal (a count is not a measurement); reals within tolerance.
    private func numbersMatch(_ pair: (String, String)) -> Bool {
        let (a, b) = pair
        if a == b { return true }
        let isReal = { (text: String) in text.contains(".") || text.contains("e") || text.contains("E") }
        guard isReal(a) || isReal(b), let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) <= rules.absoluteTolerance + rules.relativeTolerance * max(abs(x), abs(y))
    }

    /// The line with numbers replaced by a placeholder, and the numbers in order.
    private static func split(_ line: String) -> (String, [String]) {
        var shape = ""
        var numbers: [String] = []
        var cursor = line.startIndex
        for match in number.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
            guard let range = Range(match.range, in: line) else { continue }
            shape += line[cursor..<range.lowerBound] + "\u{0}#"
            numbers.append(String(line[range]))
            cursor = range.upperBound
        }
        shape += line[cursor...]
        return (shape, numbers)
    }

    /// Whether a line falls under the cell's `unordered` rule.
    private func isUnordered(_ line: String) throws(PatternRunaway) -> Bool {
        switch rules.unordered {
        case .none: return false
        case .all: return true
        case .matching(let patterns):
            for pattern in patterns where try pattern.isFound(in: line, budget: budget) { return true }
            return false
        }
    }
}
