import Notebook

extension RuleLearner {
    /// What `verify --suggest-rules` proposes for one cell: the rules CPython's own runs
    /// need (`suggest(runs:)`); and when nbrun's runs are not all faithful and differ from
    /// each other by lines present in some and absent in others (a child's line racing the
    /// cell's end, which CPython's runs happened to print always or never), `optional`
    /// patterns for exactly those lines as well, if with them every nbrun run matches one of
    /// CPython's and the rule still catches each deliberate change to CPython's first run.
    static func suggest(
        cpython: [OutputLines], nbrun: [OutputLines], faithful: Bool, defaults: CompareRules, current: CompareRules
    ) throws(RuleError) -> RuleSuggestion? {
        let learned = try suggest(runs: cpython, defaults: defaults, current: current)
        guard !faithful, nbrun.count > 1, !cpython.isEmpty else { return learned }
        var entry = JSONObject()
        switch learned {
        case nil: break
        case .rules(let rules)?: entry = rules
        default: return learned
        }
        let absent = try linesThatComeAndGo(in: nbrun, under: current.merging(entry))
        guard !absent.patterns.isEmpty else { return learned }
        entry["optional"] = RulesFile.patterns(
            entry["optional"] ?? .array([]), adding: .array(absent.patterns.map { .string($0) }))
        let rules = try current.merging(entry)
        for run in nbrun where !(try Self.matchesOne(of: cpython, run, rules)) { return learned }
        let cpythonAbsent = try linesThatComeAndGo(in: cpython, under: rules).absentFromReference
        if let hidden = try RuleNarrowness.hiddenChange(in: cpython[0], under: rules, absentSometimes: cpythonAbsent) {
            return .tooBroad(hidden)
        }
        return .rules(entry)
    }

    private static func matchesOne(of references: [OutputLines], _ run: OutputLines, _ rules: CompareRules)
        throws(RuleError) -> Bool
    {
        for reference in references where try CellComparison(expected: reference, actual: run, rules: rules).matches {
            return true
        }
        return false
    }

    /// The lines of `runs` that one run prints and another does not under `rules` (aligned
    /// with run 0 as the learner aligns them), leaving out lines with a counterpart alike
    /// enough to be the same line changed, and blank lines. Lines the rules already let be
    /// absent count only in `absentFromReference`.
    static func linesThatComeAndGo(in runs: [OutputLines], under rules: CompareRules) throws(RuleError)
        -> OptionalLines
    {
        var lines = OptionalLines()
        let matcher = LineMatcher(rules: rules, budget: PatternBudget())
        for run in runs.dropFirst() {
            for (reference, other) in zip(runs[0].channels, run.channels) {
                let left: [LineMatcher.Line], right: [LineMatcher.Line]
                do {
                    left = try matcher.prepare(reference.lines)
                    right = try matcher.prepare(other.lines)
                } catch {
                    throw error.ruleError
                }
                let (leftOver, rightOver) = unmatched(left, right, matcher)
                func alone(_ text: String, among others: [String]) -> Bool {
                    !text.allSatisfy(\.isWhitespace) && others.allSatisfy { similarity(text, $0) < 0.5 }
                }
                // Lines the rules already let be absent are only noted as absent here.
                for index in leftOver where left[index].optional {
                    lines.noteAbsent(channel: reference.name, referenceIndex: index)
                }
                for index in leftOver
                where !left[index].optional
                    && alone(reference.lines[index], among: rightOver.map { other.lines[$0] })
                {
                    lines.add(reference.lines[index], channel: reference.name, referenceIndex: index)
                }
                for index in rightOver
                where !right[index].optional
                    && alone(other.lines[index], among: leftOver.map { reference.lines[$0] })
                {
                    lines.add(other.lines[index], channel: reference.name, referenceIndex: nil)
                }
            }
        }
        return lines
    }
}

extension CompareRules {
    /// These rules with a suggested `entry` merged as `--write-rules` merges it into a demo's
    /// entry: its patterns added to those in force, a tolerance only widened.
    func merging(_ entry: JSONObject) throws(RuleError) -> CompareRules {
        var added = CompareRules()
        try added.apply(entry, origin: "suggested rule")
        var rules = self
        rules.masks += added.masks
        rules.optional += added.optional
        if case .matching(let more) = added.unordered {
            switch rules.unordered {
            case .none: rules.unordered = .matching(more)
            case .matching(let patterns): rules.unordered = .matching(patterns + more)
            case .all: break
            }
        }
        let tolerance = entry["tolerance"]?.objectValue
        if tolerance?["relative"] != nil { rules.relativeTolerance = max(relativeTolerance, added.relativeTolerance) }
        if tolerance?["absolute"] != nil { rules.absoluteTolerance = max(absoluteTolerance, added.absoluteTolerance) }
        return rules
    }
}
