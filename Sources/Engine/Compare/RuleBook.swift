import Foundation
import Notebook
import PythonRuntime
import SystemCalls

/// The comparison rules of a repository: `nbrun.json` at its root, looked up from a
/// notebook's folder upwards (stopping at the folder holding `.git`).
///
/// ```json
/// {
///   "defaults": {"tolerance": {"relative": 0.25, "absolute": 0.05}},
///   "demos": {"02-threads/race": {"mask": ["got: +(\\d+)"]}}
/// }
/// ```
/// A cell's rules are the defaults, then its demo's entry, then its `metadata.nbrun`.
package struct RuleBook: Sendable {
    package static let fileName = "nbrun.json"

    package let path: String?
    let defaults: JSONObject
    let demos: JSONObject

    /// The kernel its notebooks' sessions run in (`kernel`; see `KernelSetting`).
    package var kernel: KernelProfile? = .ipykernel7

    package static let empty = RuleBook(path: nil, defaults: JSONObject(), demos: JSONObject())

    /// Finds and reads the `nbrun.json` that governs `notebookPath`, if any.
    package static func governing(_ notebookPath: String, registry: DemoRegistry) throws(RuleError) -> RuleBook {
        var directory = URL(fileURLWithPath: notebookPath).standardizedFileURL.deletingLastPathComponent()
        while true {
            let candidate = directory.appendingPathComponent(fileName).path
            // Any entry by that name is the rules file, even one that cannot be read (a
            // symlink loop): it is reported, never skipped as if there were no rules.
            if Syscall.status(candidate, followingLinks: false) != nil {
                return try load(candidate, registry: registry)
            }
            let isRoot = FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path)
            let parent = directory.deletingLastPathComponent()
            if isRoot || parent.path == directory.path { return .empty }
            directory = parent
        }
    }

    /// Reads and checks `path`; a demo entry that no demo of `registry` is named is an error.
    package static func load(_ path: String, registry: DemoRegistry) throws(RuleError) -> RuleBook {
        let json: JSONValue
        do {
            json = try JSONReader.parse(NotebookFile.readBytes(path))
        } catch {
            throw RuleError(path, "\(error)")
        }
        guard case .object(let top) = json else { throw RuleError(path, "must hold a JSON object") }
        for key in top.keys where !["defaults", "demos", "kernel"].contains(key) {
            throw RuleError(path, "unknown key \"\(CompareRules.shown(key))\" (defaults, demos, kernel)")
        }
        // A key of the wrong type is an error, not a file whose rules are all dropped.
        for key in ["defaults", "demos"] where top[key] != nil && top[key]?.objectValue == nil {
            throw RuleError(path, "\"\(key)\" must be an object")
        }
        let defaults = top["defaults"]?.objectValue ?? JSONObject()
        let demos = top["demos"]?.objectValue ?? JSONObject()
        var book = RuleBook(path: path, defaults: defaults, demos: demos)
        if let kernel = top["kernel"] { book.kernel = try KernelSetting.profile(kernel, origin: path) }
        // Check every entry now, so a typo fails at once rather than on the cell it names.
        var probe = CompareRules()
        try probe.apply(defaults, origin: "\(path): defaults")
        let known = Set(registry.demos.map(\.id))
        for (key, value) in demos.members {
            let name = CompareRules.shown(key)
            guard known.contains(key) else {
                throw RuleError(path, "demos.\(name): no registered demo is named \(name) (see nbrun list)")
            }
            guard case .object(let rules) = value else { throw RuleError(path, "demos.\(name) must be an object") }
            try probe.apply(rules, origin: "\(path): demos.\(name)")
        }
        return book
    }

    /// The rules for one cell; `demo` is `notebook/name` of the demo that ports it, if any.
    package func rules(for cell: Cell, demo: String?) throws(RuleError) -> CompareRules {
        var rules = CompareRules()
        let origin = path ?? RuleBook.fileName
        try rules.apply(defaults, origin: "\(origin): defaults")
        if let demo, case .object(let entry)? = demos[demo] {
            try rules.apply(entry, origin: "\(origin): demos.\(demo)")
        }
        if let own = cell.metadata["nbrun"] {
            guard case .object(let object) = own else { throw RuleError("metadata.nbrun", "must be an object") }
            try rules.apply(object, origin: "metadata.nbrun")
        }
        return rules
    }
}
