import SystemCalls

/// The CPU time the rule patterns of one notebook may take together, matching and masking.
///
/// Each match also has its own budget (`CompareRules.Pattern.matchBudget`), but that alone
/// is per line: a pattern that takes just under it on each of 10,000 lines, or masks that
/// match empty text and so insert `<masked>` at every position of a line (growing it
/// ninefold per mask), would run for minutes. So every notebook's comparison (all its cells,
/// both sides) shares one budget: `notebookSeconds`, plus `secondsPerCharacter` for each
/// character of the output lines its rules are run over (earned once per line, however many
/// patterns run over it, so a long image line is affordable but a hundred patterns are not a
/// hundred allowances). Matches spend their CPU time; a mask's replacement spends its CPU
/// time and `secondsPerCharacter` for each character it writes. When it is spent, the
/// comparison stops with the one-line `PatternRunaway` error naming the rule.
///
/// One comparison uses it, on one thread.
package final class PatternBudget {
    /// Seconds of CPU time the rules of one notebook have before any line earns more.
    package static let notebookSeconds = 5.0
    /// What each character of a compared output line earns, and each character a mask writes costs.
    package static let secondsPerCharacter = 1e-6

    /// Seconds earned so far.
    package private(set) var allowance: Double
    /// Seconds spent so far.
    package private(set) var spent = 0.0

    package init(seconds: Double = notebookSeconds) {
        allowance = seconds
    }

    /// Seconds left.
    package var remaining: Double { allowance - spent }

    /// A line of `characters` UTF-16 units is about to be run over by the rules.
    func earn(characters: Int) {
        allowance += Self.secondsPerCharacter * Double(characters)
    }

    func spend(seconds: Double) {
        spent += max(0, seconds)
    }

    /// A mask wrote `characters` UTF-16 units.
    func spend(characters: Int) {
        spent += Self.secondsPerCharacter * Double(characters)
    }

    /// The thread's CPU clock, which budgets are counted in.
    static var now: Double { Clock.threadCPU }
}
