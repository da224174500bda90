import Foundation
import Notebook

/// `verify --write-rules`: suggested entries merged into a course's `nbrun.json`, keeping
/// everything there (its keys, their order, its other demos) and writing it in the
/// file's own layout: one line per demo, a demo's keys on lines of their own when the
/// entry would not fit on one.
package enum RulesFile {
    /// How wide a demo's line may be before its keys go on lines of their own.
    static let lineWidth = 100

    /// Merges `suggestions` (demo name -> entry) into the file's JSON. An existing rule is
    /// kept and extended, never narrowed or dropped: patterns are added to `mask`, `optional`
    /// and `unordered` (which stays `true` if it was), a tolerance only ever widens. New demos
    /// go after the last entry of their notebook, else at the end, in the order given.
    package static func merge(_ suggestions: [(demo: String, entry: JSONObject)], into file: JSONObject) -> JSONObject {
        var file = file
        var demos = file["demos"]?.objectValue ?? JSONObject()
        for (demo, entry) in suggestions {
            if case .object(var existing)? = demos[demo] {
                for (key, value) in entry.members { existing[key] = merged(key, existing[key], value) }
                demos[demo] = .object(existing)
            } else {
                demos = inserting(demo, .object(entry), into: demos)
            }
        }
        file["demos"] = .object(demos)
        return file
    }

    private static func merged(_ key: String, _ old: JSONValue?, _ new: JSONValue) -> JSONValue {
        guard let old else { return new }
        switch key {
        case "unordered":
            if case .bool(true) = old { return old }
            return patterns(old, adding: new)
        case "mask", "optional":
            return patterns(old, adding: new)
        case "tolerance":
            guard case .object(var tolerance) = old, case .object(let wider) = new else { return new }
            for (name, value) in wider.members {
                let before = number(tolerance[name]) ?? 0
                if let after = number(value), after > before { tolerance[name] = value }
            }
            return .object(tolerance)
        default:
            return old
        }
    }

    /// The patterns of `old` (one or a list), then those of `new` not among them: one
    /// pattern as a string, more as a list, as a rule writes them.
    static func patterns(_ old: JSONValue, adding new: JSONValue) -> JSONValue {
        func list(_ value: JSONValue) -> [String] {
            value.stringValue.map { [$0] } ?? value.arrayValue?.compactMap(\.stringValue) ?? []
        }
        var all = list(old)
        for pattern in list(new) where !all.contains(pattern) { all.append(pattern) }
        return all.count == 1 ? .string(all[0]) : .array(all.map { .string($0) })
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .real(let number)?: number
        default: nil
        }
    }

    private static func inserting(_ demo: String, _ value: JSONValue, into demos: JSONObject) -> JSONObject {
        let notebook = demo.split(separator: "/").first.map(String.init) ?? demo
        var members = demos.members
        let after = members.lastIndex { $0.key.hasPrefix(notebook + "/") }
        members.insert((demo, value), at: after.map { $0 + 1 } ?? members.count)
        return JSONObject(members)
    }

    /// The file's text: top-level keys on their own lines, each demo on one line when it fits.
    package static func text(_ file: JSONObject) -> String {
        var lines = ["{"]
        for (index, member) in file.members.enumerated() {
            let comma = index + 1 < file.count ? "," : ""
            guard case .object(let object) = member.value else {
                lines.append(" \(string(member.key)): \(compact(member.value))\(comma)")
                continue
            }
            lines.append(" \(string(member.key)): {")
            for (position, inner) in object.members.enumerated() {
                let innerComma = position + 1 < object.count ? "," : ""
                let line = "  \(string(inner.key)): \(compact(inner.value))\(innerComma)"
                if line.count <= lineWidth || member.key != "demos" { lines.append(line); continue }
                guard case .object(let entry) = inner.value else { lines.append(line); continue }
                lines.append("  \(string(inner.key)): {")
                for (keyIndex, rule) in entry.members.enumerated() {
                    let ruleComma = keyIndex + 1 < entry.count ? "," : ""
                    lines.append("   \(string(rule.key)): \(compact(rule.value))\(ruleComma)")
                }
                lines.append("  }\(innerComma)")
            }
            lines.append(" }\(comma)")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Python's `json.dumps` with its default separators, keys in their own order.
    package static func compact(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            "{" + object.members.map { "\(string($0.key)): \(compact($0.value))" }.joined(separator: ", ") + "}"
        case .array(let items):
            "[" + items.map(compact).joined(separator: ", ") + "]"
        default:
            String(decoding: JSONWriter.bytes(value), as: UTF8.self)
        }
    }

    private static func string(_ text: String) -> String {
        String(decoding: JSONWriter.bytes(.string(text)), as: UTF8.self)
    }

    /// Reads `path` (an empty rule file when there is none), merges, and writes it back.
    package static func write(_ suggestions: [(demo: String, entry: JSONObject)], to path: String) throws {
        var file = JSONObject()
        if FileManager.default.fileExists(atPath: path) {
            guard case .object(let object) = try JSONReader.parse(NotebookFile.readBytes(path)) else {
                throw RuleError(path, "must hold a JSON object")
            }
            file = object
        }
        try AtomicFile.write(Array(text(merge(suggestions, into: file)).utf8), to: path)
    }
}
