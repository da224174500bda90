import Foundation
import Glibc
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
/// Every match also spends the notebook's shared `PatternBudget`, and is stopped when that
/// runs out, whichever comes first.
extension CompareRules.Pattern {
    /// Seconds of CPU time one match (one pattern over one output line) may take, plus
    /// `budgetPerCharacter` for each UTF-16 unit of the line.
    package static let matchBudget = 0.2
    /// Ten times what the callbacks at every position of a long line cost.
    package static let budgetPerCharacter = 1e-6

    /// The CPU time a match over a line of `length` UTF-16 units may take.
    static func budget(length: Int) -> Double { matchBudget + budgetPerCharacter * Double(length) }

    /// Every match of the pattern in `line`, in order.
    func matches(in line: String, budget: PatternBudget) throws(PatternRunaway) -> [NSTextCheckingResult] {
        try bounded(line, all: true, budget: budget)
    }

    /// Whether the pattern matches anywhere in `line`.
    func isFound(in line: String, budget: PatternBudget) throws(PatternRunaway) -> Bool {
        try !bounded(line, all: false, budget: budget).isEmpty
    }

    private func bounded(_ line: String, all: Bool, budget: PatternBudget) throws(PatternRunaway)
        -> [NSTextCheckingResult]
    {
        var found: [NSTextCheckingResult] = []
        var outcome: PatternRunaway.Reason?
        let range = NSRange(line.startIndex..., in: line)
        let ownLimit = Self.budget(length: range.length)
        let limit = min(ownLimit, budget.remaining)
        let start = PatternBudget.now
        var lastTick = Self.coarseTick()
        expression.enumerateMatches(in: line, options: [.reportProgress, .reportCompletion], range: range) {
            match, flags, stop in
            if let match {
                found.append(match)
                if !all { stop.pointee = true }
            }
            if flags.contains(.internalError) { outcome = .outOfMemory }
            guard flags.contains(.progress) else { return }
            // The CPU clock is a system call: read it when the coarse clock (a few ns, no
            // system call) has moved, i.e. every few ms, and at every callback after that.
            // The match engine calls back every 10,000 of its steps, and one step (a
            // back-reference) can be as long as the line, so no callback may be skipped.
            let tick = Self.coarseTick()
            guard tick != lastTick else { return }
            lastTick = tick
            if PatternBudget.now - start > limit {
                outcome = limit < ownLimit ? .notebookSpent : .outOfTime
                stop.pointee = true
            }
        }
        budget.spend(seconds: PatternBudget.now - start)
        if outcome == nil, budget.remaining < 0 { outcome = .notebookSpent }
        if let outcome {
            throw PatternRunaway(
                pattern: self, reason: outcome, lineLength: range.length,
                budget: outcome == .notebookSpent ? budget.allowance : ownLimit)
        }
        return found
    }

    /// The coarse monotonic clock, in its own ticks (milliseconds or a few).
    private static func coarseTick() -> Int64 {
        Clock.nanoseconds(CLOCK_MONOTONIC_COARSE)
    }
}

/// A rule pattern stopped before it finished matching one output line.
struct PatternRunaway: Error {
    enum Reason {
        /// It used up its budget of CPU time.
        case outOfTime
        /// ICU gave up: its backtracking stack outgrew its limit (8 MB).
        case outOfMemory
        /// The notebook's rules used up their shared budget (`PatternBudget`).
        case notebookSpent
    }

    let pattern: CompareRules.Pattern
    let reason: Reason
    let lineLength: Int
    /// The CPU seconds it was given.
    let budget: Double

    /// The rule error naming the rule and what happened; the caller adds the file and cell.
    var ruleError: RuleError {
        let advice = "avoid nested or overlapping repetition such as (a+)+ or (a|a)*"
        let what =
            switch reason {
            case .outOfTime:
                String(format: "was stopped after %.1f s of matching on one output line", budget)
                    + " (\(lineLength) characters): it backtracks without bound; \(advice)"
            case .outOfMemory:
                "was stopped when its backtracking outgrew the regex engine's memory on one output line"
                    + " (\(lineLength) characters): it backtracks without bound; \(advice)"
            case .notebookSpent:
                String(format: "was stopped when the notebook's rules had used their %.1f s", budget)
                    + " of matching and masking, on one output line (\(lineLength) characters): \(advice),"
                    + " and masks that match empty text such as (?=)"
            }
        return RuleError(pattern.origin, "\(pattern.rule) \"\(CompareRules.shown(pattern.source))\" \(what)")
    }
}
