import Foundation

/// Decides whether two output lines are the same under a cell's rules: masked parts
/// blanked, measured numbers within tolerance, everything else exact.
struct LineMatcher: Sendable {
    let rules: CompareRules

    /// A line as the comparison sees it, worked out once: the diff compares every expected
    /// line with many actual ones, and a rule's patterns should run once per line, not per pair.
    struct Line: Sendable {
        /// The line as it was written.
        let text: String
        /// Its text with masks applied and numbers replaced by a placeholder.
        let shape: String
        /// Its numbers, in order.
        let numbers: [String]
        /// Whether it falls under the cell's `unordered` rule.
        let unordered: Bool
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
        for text in lines {
            let (shape, numbers) = Self.split(try masked(text))
            var line = Line(text: text, shape: shape, numbers: numbers, unordered: try isUnordered(text))
            for pattern in rules.optional where try pattern.isFound(in: text) {
                line.optional = true
                break
            }
            prepared.append(line)
        }
        return prepared
    }

    /// The line with every mask's match (or capture groups) replaced by `<masked>`.
    func masked(_ line: String) throws(PatternRunaway) -> String {
        var text = line
        for mask in rules.masks {
            let matches = try mask.matches(in: text)
            for match in matches.reversed() {
                let ranges =
                    match.numberOfRanges > 1 ? (1..<match.numberOfRanges).map { match.range(at: $0) } : [match.range]
                for range in ranges.reversed() where range.location != NSNotFound {
                    guard let swiftRange = Range(range, in: text) else { continue }
                    text.replaceSubrange(swiftRange, with: "<masked>")
                }
            }
        }
        return text
    }

    func matches(_ expected: Line, _ actual: Line) -> Bool {
        guard expected.shape == actual.shape, expected.numbers.count == actual.numbers.count else { return false }
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
            for pattern in patterns where try pattern.isFound(in: line) { return true }
            return false
        }
    }
}
