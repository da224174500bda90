import Foundation

/// Decides whether two output lines are the same under a cell's rules: masked parts
/// blanked, measured numbers within tolerance, everything else exact.
struct LineMatcher: Sendable {
    let rules: CompareRules

    /// A number in a line: `0.50`, `-3`, `1e-05`. A letter or `_` right before it keeps it part
    /// of a word, so the `0` of `T0` is no number and `T0` vs `T1` differ as text; after `/`
    /// or a space it is one (`site/3`). Only reals (a point or an exponent) get a tolerance.
    // A constant pattern, checked by the tests: compiling it cannot fail at run time.
    private static let number = try! NSRegularExpression(pattern: #"(?<![A-Za-z_])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"#)

    /// The line with every mask's match (or capture groups) replaced by `<masked>`.
    func masked(_ line: String) -> String {
        var text = line
        for mask in rules.masks {
            let matches = mask.expression.matches(in: text, range: NSRange(text.startIndex..., in: text))
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

    func matches(_ expected: String, _ actual: String) -> Bool {
        let left = masked(expected), right = masked(actual)
        if left == right { return true }
        let (leftShape, leftNumbers) = Self.split(left)
        let (rightShape, rightNumbers) = Self.split(right)
        guard leftShape == rightShape, leftNumbers.count == rightNumbers.count else { return false }
        return zip(leftNumbers, rightNumbers).allSatisfy(numbersMatch)
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
    func isUnordered(_ line: String) -> Bool {
        switch rules.unordered {
        case .none: false
        case .all: true
        case .matching(let patterns):
            patterns.contains {
                $0.expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            }
        }
    }
}
