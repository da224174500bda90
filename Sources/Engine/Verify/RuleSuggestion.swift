import Notebook

/// What `verify --suggest-rules` says about one cell whose CPython runs differ from each
/// other under the rules it has now.
package enum RuleSuggestion: Sendable {
    /// The `nbrun.json` entry that covers exactly the variation seen (keys in the order
    /// tolerance, unordered, mask, optional).
    case rules(JSONObject)
    /// CPython itself cannot repeat the cell in a way a rule can describe (two lines run
    /// together on one, a blank line that comes and goes): named, never silently skipped.
    case cannotRepeat(String)
    /// A rule was found but it would also hide a deliberate change: none is suggested.
    case tooBroad(String)

    /// The entry as one line of compact JSON, or the reason there is none.
    package var summary: String {
        switch self {
        case .rules(let entry): RulesFile.compact(.object(entry))
        case .cannotRepeat(let why): "CPython cannot repeat this cell: \(why)"
        case .tooBroad(let why): "no rule suggested: the rule learned would hide \(why)"
        }
    }

    package var entry: JSONObject? {
        if case .rules(let entry) = self { entry } else { nil }
    }
}
