import Foundation

/// Keeps a learned rule narrow: the rule must still catch each deliberate change a port
/// could make to what CPython printed. Each change is made to CPython's first run, one at
/// a time, and compared with it under the rule; a change that passes is one the rule
/// would hide from `verify`, and the rule is not suggested.
///
/// The changes: each line left out (a missing line); the first word of each line changed
/// (a changed word); each integer one higher and each real number tripled (a wrong value);
/// each pair of neighbouring lines among those the rule keeps in order swapped (a wrong order).
/// Words and numbers inside what a `mask` blanks are left alone: blanking them is what
/// the mask is for, and it was learned from CPython printing different values there. Likewise
/// a line that some run lacked (`absentSometimes`) and an `optional` pattern covers may be
/// missing, and its values are what the pattern leaves open (only its changed word is
/// tried); a line no run lacked is held to every change, so an `optional` pattern that
/// also covers it is caught.
enum RuleNarrowness {
    /// The first deliberate change `rules` would let pass, described; nil when all are caught.
    /// `absentSometimes`: the reference's lines (`OptionalLines.key`) that some run lacked.
    static func hiddenChange(
        in reference: OutputLines, under rules: CompareRules, absentSometimes: Set<String> = []
    ) throws(RuleError) -> String? {
        for change in try changes(of: reference, rules: rules, absentSometimes: absentSometimes) {
            if try CellComparison(expected: reference, actual: change.lines, rules: rules).matches {
                return change.description
            }
        }
        return nil
    }

    struct Change {
        let description: String
        let lines: OutputLines
    }

    static func changes(
        of reference: OutputLines, rules: CompareRules, absentSometimes: Set<String> = []
    ) throws(RuleError) -> [Change] {
        var changes: [Change] = []
        let matcher = LineMatcher(rules: rules, budget: PatternBudget())
        for (channelIndex, channel) in reference.channels.enumerated() {
            let lines = channel.lines
            let prepared: [LineMatcher.Line]
            do {
                prepared = try matcher.prepare(lines)
            } catch {
                throw error.ruleError
            }
            func changed(_ replacement: [String], _ what: String) {
                var copy = reference
                switch channelIndex {
                case 0: copy.stdout = replacement
                case 1: copy.stderr = replacement
                default: copy.other = replacement
                }
                changes.append(Change(description: "\(what) (\(channel.name))", lines: copy))
            }
            for (index, line) in lines.enumerated() {
                let comesAndGoes =
                    prepared[index].optional && absentSometimes.contains(OptionalLines.key(channel.name, index))
                if !comesAndGoes {
                    var without = lines
                    without.remove(at: index)
                    changed(without, "a missing line: \(line)")
                }
                for (edited, what) in try edits(of: line, rules: rules) where !comesAndGoes || what == Self.changedWord
                {
                    var copy = lines
                    copy[index] = edited
                    changed(copy, "\(what): \(line) -> \(edited)")
                }
            }
            // A wrong order where CPython's is fixed: neighbours among the lines that keep
            // their order (those the rule lets move or be absent may move around them).
            let fixed = lines.indices.filter { !prepared[$0].unordered && !prepared[$0].optional }
            for (first, second) in zip(fixed, fixed.dropFirst())
            where !matcher.matches(prepared[first], prepared[second]) {
                var swapped = lines
                swapped.swapAt(first, second)
                changed(swapped, "a wrong order: \(lines[second]) before \(lines[first])")
            }
        }
        return changes
    }

    /// A line's deliberate edits outside its masked parts: its first word changed, each
    /// integer one higher, each real tripled.
    static func edits(of line: String, rules: CompareRules) throws(RuleError) -> [(String, String)] {
        let masked = try maskedRanges(line, rules)
        var edits: [(String, String)] = []
        var offset = 0
        var changedWord = false
        let tokens = LineTokens(line).tokens
        for (position, token) in tokens.enumerated() {
            let length = token.text.utf16.count
            defer { offset += length }
            guard
                !masked.contains(where: {
                    NSIntersectionRange($0, NSRange(location: offset, length: length)).length > 0
                })
            else { continue }
            let replacement: String
            let what: String
            switch token.kind {
            case .word where !changedWord && token.text.count > 1:
                changedWord = true
                replacement = token.text + "X"
                what = Self.changedWord
            case .integer:
                replacement = String((Int(token.text) ?? 0) + 1)
                what = "a wrong value"
            case .real:
                replacement = String(format: "%.3f", (Double(token.text) ?? 0) * 3 + 1)
                what = "a wrong value"
            default:
                continue
            }
            var edited = tokens.map(\.text)
            edited[position] = replacement
            edits.append((edited.joined(), what))
        }
        return edits
    }

    private static let changedWord = "a changed word"

    /// The parts of `line` the rules' masks blank.
    static func maskedRanges(_ line: String, _ rules: CompareRules) throws(RuleError) -> [NSRange] {
        var ranges: [NSRange] = []
        let budget = PatternBudget()
        for mask in rules.masks {
            let matches: [NSTextCheckingResult]
            do {
                matches = try mask.matches(in: line, budget: budget)
            } catch {
                throw error.ruleError
            }
            for match in matches {
                ranges +=
                    match.numberOfRanges > 1 ? (1..<match.numberOfRanges).map { match.range(at: $0) } : [match.range]
            }
        }
        return ranges.filter { $0.location != NSNotFound }
    }
}
