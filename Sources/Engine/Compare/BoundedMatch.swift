import Foundation
import SystemCalls

/// Rule patterns travel with notebooks (`metadata.nbrun`), so a pull request can bring one
/// that backtracks catastrophically: `(x+x+)+y` over 32 `x`s takes ICU 16 s, over 64 longer
/// than anyone waits. Every match of a rule pattern therefore runs under a budget of CPU time,
/// enforced through ICU's own progress callbacks (`enumerateMatches` with `.reportProgress`
/// is called back at every advance of the search and every 10,000 steps of the match
/// engine), where setting `stop` really ends the match. The clock is the thread's CPU time,
/// so a loaded machine does not make a good pattern fail: matching a line takes good
/// patterns microseconds, runaway ones seconds to years. The callback at every position
/// costs ~0.1 µs, so a very long line (a 2 MB image rendered as one line) gets more time.
extension CompareRules.Pattern {
    /// Seconds of CPU time one match (one pattern over one output line) may take, plus
    /// `budgetPerCharacter` for each UTF-16 unit of the line.
    package static let matchBudget = 0.2
    /// Ten times what the callbacks at every position of a long line cost.
    package static let budgetPerCharacter = 1e-6

    /// The CPU time a match over a line of `length` UTF-16 units may take.
    static func budget(length: Int) -> Double { matchBudget + budgetPerCharacter * Double(length) }

    /// Every match of the pattern in `line`, in order.
    func matches(in line: String) throws(PatternRunaway) -> [NSTextCheckingResult] {
        try bounded(line, all: true)
    }

    /// Whether the pattern matches anywhere in `line`.
    func isFound(in line: String) throws(PatternRunaway) -> Bool {
        try !bounded(line, all: false).isEmpty
    }

    private func bounded(_ line: String, all: Bool) throws(PatternRunaway) -> [NSTextCheckingResult] {
        var found: [NSTextCheckingResult] = []
        var outcome: PatternRunaway.Reason?
        var callbacks = 0
        let range = NSRange(line.startIndex..., in: line)
        let budget = Self.budget(length: range.length)
        let start = Self.threadCPUTime()
        expression.enumerateMatches(in: line, options: [.reportProgress, .reportCompletion], range: range) {
            match, flags, stop in
            if let match {
                found.append(match)
                if !all { stop.pointee = true }
            }
            if flags.contains(.internalError) { outcome = .outOfMemory }
            guard flags.contains(.progress) else { return }
            // A clock read is a system call: look every 16 callbacks (at most ~16 ms apart).
            callbacks += 1
            if callbacks % 16 == 0, Self.threadCPUTime() - start > budget {
                outcome = .outOfTime
                stop.pointee = true
            }
        }
        if let outcome {
            throw PatternRunaway(pattern: self, reason: outcome, lineLength: line.count, budget: budget)
        }
        return found
    }

    private static func threadCPUTime() -> Double {
        Clock.threadCPU
    }
}

/// A rule pattern stopped before it finished matching one output line.
struct PatternRunaway: Error {
    enum Reason {
        /// It used up its budget of CPU time.
        case outOfTime
        /// ICU gave up: its backtracking stack outgrew its limit (8 MB).
        case outOfMemory
    }

    let pattern: CompareRules.Pattern
    let reason: Reason
    let lineLength: Int
    /// The CPU seconds it was given.
    let budget: Double

    /// The rule error naming the rule and what happened; the caller adds the file and cell.
    var ruleError: RuleError {
        let what =
            switch reason {
            case .outOfTime:
                String(format: "was stopped after %.1f s of matching", budget)
            case .outOfMemory: "was stopped when its backtracking outgrew the regex engine's memory"
            }
        return RuleError(
            pattern.origin,
            "\(pattern.rule) \"\(pattern.source)\" \(what) on one output line (\(lineLength) characters): "
                + "it backtracks without bound; avoid nested or overlapping repetition such as (a+)+ or (a|a)*")
    }
}
