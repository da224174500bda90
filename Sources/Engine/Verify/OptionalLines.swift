/// The lines `RuleLearner` found present in some runs and absent in others (a child's or a
/// thread's line that races the cell's end), for the `optional` rule: grouped by likeness,
/// each group one anchored pattern made as a mask's is (the tokens its lines share kept
/// literally, only where they differ a group of the values seen, or `\d+` for integers).
struct OptionalLines: Equatable {
    struct Group: Equatable {
        let channel: String
        var variants: [String]
    }

    private(set) var groups: [Group] = []
    /// Lines of the reference run (`channel\0index`) that some other run lacks: the
    /// `optional` rule is meant to let exactly these be missing.
    private(set) var absentFromReference: Set<String> = []

    /// A line one run printed and another did not; `referenceIndex` when it is the reference run's.
    mutating func add(_ line: String, channel: String, referenceIndex: Int?) {
        if let referenceIndex { noteAbsent(channel: channel, referenceIndex: referenceIndex) }
        if let index = groups.firstIndex(where: {
            $0.channel == channel && RuleLearner.similarity($0.variants[0], line) >= 0.5
        }) {
            if !groups[index].variants.contains(line) { groups[index].variants.append(line) }
        } else {
            groups.append(Group(channel: channel, variants: [line]))
        }
    }

    /// A line of the reference run that another run lacks.
    mutating func noteAbsent(channel: String, referenceIndex: Int) {
        absentFromReference.insert(Self.key(channel, referenceIndex))
    }

    static func key(_ channel: String, _ index: Int) -> String { "\(channel)\u{0}\(index)" }

    /// The `optional` patterns, one per group, in the order first seen.
    var patterns: [String] {
        var seen: [String] = []
        for group in groups {
            let pattern = LineTemplate(group.variants).pattern(capture: false)
            if !seen.contains(pattern) { seen.append(pattern) }
        }
        return seen
    }

    /// Two lines of one run written as one line of the other (`A startingmain keeps going`
    /// for `A starting` and `main keeps going`: two threads' `print`s write the text and the
    /// newline separately, so the other thread can write in between). No rule describes that
    /// (making the pieces optional would hide them): described, or nil when no line is.
    static func runTogether(_ reference: [String], _ other: [String]) -> String? {
        func joined(_ lines: [String], from pieces: [String]) -> String? {
            for line in lines where !line.isEmpty {
                for (i, first) in pieces.enumerated() where !first.isEmpty && line.hasPrefix(first) {
                    for (j, second) in pieces.enumerated() where i != j && !second.isEmpty && first + second == line {
                        return "\"\(line)\" is \"\(first)\" and \"\(second)\" on one line"
                    }
                }
            }
            return nil
        }
        return joined(reference, from: other) ?? joined(other, from: reference)
    }
}
