import Foundation
import Notebook

/// What counts as "the same output" for one cell: the rules `nbrun check` and `nbrun diff`
/// compare by. Defaults hold for every cell; `nbrun.json` at the repository root and the
/// cell's own `metadata.nbrun` override them, in that order.
///
/// - `tolerance`: measured numbers (those with a decimal point) match when
///   `|a - b| <= absolute + relative * max(|a|, |b|)`. Integers always match exactly.
/// - `unordered`: `true` compares the cell's lines as a multiset; a pattern (or a list of
///   them) compares just the lines it matches as a multiset, the rest in order.
/// - `mask`: patterns whose matches (their capture groups, if any) are blanked on both
///   sides before comparing, for values nothing can predict.
/// - `optional`: patterns of lines that may be absent (a child's line CPython prints in some
///   runs only): such a line missing on either side, or differing, is no difference.
/// - `skip`: the cell's outputs are not compared at all.
package struct CompareRules: Sendable {
    package var relativeTolerance: Double = 0.25
    package var absoluteTolerance: Double = 0.05
    package var unordered: Unordered = .none
    package var masks: [Pattern] = []
    /// Patterns of lines that may be absent (`optional` rule).
    package var optional: [Pattern] = []
    package var skip = false
    /// Seconds the cell may run (`timeout` rule); `--timeout` overrides it.
    package var timeout: Double?
    /// At its timeout, interrupt the cell (`KeyboardInterrupt`, nbclient's
    /// `interrupt_on_timeout`) instead of abandoning its notebook (`interrupt` rule).
    package var interrupt = false

    package enum Unordered: Sendable {
        case none, all
        case matching([Pattern])
    }

    /// A compiled regular expression (ICU syntax), its source and its rule, for messages.
    /// Each match runs under a budget: see `matchBudget`.
    package struct Pattern: @unchecked Sendable {
        // NSRegularExpression is immutable after creation and documented thread-safe.
        package let source: String
        /// The rule it belongs to: `mask`, `unordered` or `optional`.
        package let rule: String
        /// Where the rule was written: `metadata.nbrun`, or `nbrun.json`'s defaults or demo entry.
        package let origin: String
        let expression: NSRegularExpression
    }

    package init() {}

    /// Applies an override object (`{"tolerance": {...}, "unordered": ..., "mask": [...], "skip": ...}`).
    /// `origin` names where it came from in error messages.
    package mutating func apply(_ object: JSONObject, origin: String) throws(RuleError) {
        for (key, value) in object.members {
            switch key {
            case "tolerance":
                guard case .object(let tolerance) = value else {
                    throw RuleError(origin, "\"tolerance\" must be an object")
                }
                for (name, number) in tolerance.members {
                    guard let amount = Self.number(number), amount >= 0 else {
                        throw RuleError(origin, "tolerance \"\(Self.shown(name))\" must be a non-negative number")
                    }
                    switch name {
                    case "relative": relativeTolerance = amount
                    case "absolute": absoluteTolerance = amount
                    default: throw RuleError(origin, "unknown tolerance \"\(Self.shown(name))\" (relative, absolute)")
                    }
                }
            case "unordered":
                switch value {
                case .bool(let flag): unordered = flag ? .all : .none
                default: unordered = .matching(try Self.patterns(value, key: key, origin: origin))
                }
            case "mask":
                masks = try Self.patterns(value, key: key, origin: origin)
            case "optional":
                optional = try Self.patterns(value, key: key, origin: origin)
            case "skip":
                guard case .bool(let flag) = value else { throw RuleError(origin, "\"skip\" must be true or false") }
                skip = flag
            case "timeout":
                guard let seconds = Self.number(value), seconds > 0, seconds.isFinite else {
                    throw RuleError(origin, "\"timeout\" must be a positive number of seconds")
                }
                timeout = seconds
            case "interrupt":
                guard case .bool(let flag) = value else {
                    throw RuleError(origin, "\"interrupt\" must be true or false")
                }
                interrupt = flag
            default:
                throw RuleError(
                    origin,
                    "unknown rule \"\(Self.shown(key))\" (tolerance, unordered, mask, optional, skip, timeout, interrupt)"
                )
            }
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .real(let number): number
        default: nil
        }
    }

    private static func patterns(_ value: JSONValue, key: String, origin: String) throws(RuleError) -> [Pattern] {
        let sources: [String]
        switch value {
        case .string(let source): sources = [source]
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            sources = items.compactMap(\.stringValue)
        default: throw RuleError(origin, "\"\(key)\" must be a regular expression or a list of them")
        }
        var compiled: [Pattern] = []
        for source in sources {
            if hasBackReference(source) {
                throw RuleError(
                    origin,
                    "\"\(key)\": \(shown(source)): back-references (\\1, \\k<name>) are not allowed in rule patterns"
                        + " (the regex engine cannot be stopped while it compares one, so its time has no bound)")
            }
            do {
                let expression = try NSRegularExpression(pattern: source)
                compiled.append(Pattern(source: source, rule: key, origin: origin, expression: expression))
            } catch {
                throw RuleError(origin, "\"\(key)\": invalid regular expression \(shown(source))")
            }
        }
        return compiled
    }
}

extension CompareRules {
    /// A pattern's source as messages show it: on one line, its line breaks written `\n`, `\r`.
    static func shown(_ source: String) -> String {
        source.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Whether an ICU pattern refers back to a group (`\1`...`\9`, `\k<name>`). ICU reports
    /// progress only as it saves backtracking states, not while it compares a back-reference
    /// with the line, so `^(a+)\1b` on 300,000 `a`s runs 12 s past any budget. Conservative:
    /// `\1` inside a class or a `\Q...\E` quote counts too.
    static func hasBackReference(_ source: String) -> Bool {
        var escaped = false
        for scalar in source.unicodeScalars {
            if escaped {
                if ("1"..."9").contains(scalar) || scalar == "k" { return true }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            }
        }
        return false
    }
}

/// A comparison rule that cannot be used, with where it was found.
package struct RuleError: Error, Sendable, CustomStringConvertible {
    package let origin: String
    package let problem: String

    init(_ origin: String, _ problem: String) {
        self.origin = origin
        self.problem = problem
    }

    package var description: String { "\(origin): \(problem)" }
}
