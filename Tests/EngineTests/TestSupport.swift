import Demos
import Engine
import Foundation
import Notebook

/// Small notebooks and a registry of small closures (not the course demos) for engine tests.
enum Fixture {
    static func codeCell(_ source: String, tags: [String] = ["no-run"], id: String? = nil) -> Cell {
        var metadata = JSONObject()
        if !tags.isEmpty { metadata["tags"] = .array(tags.map(JSONValue.string)) }
        return Cell(type: .code, id: id, metadata: metadata, source: source)
    }

    static func demo(_ source: String, name: String, notebook: String = "fixture",
                     run: @escaping @Sendable (DemoContext) throws -> Void) -> Demo {
        let fingerprint = SourceFingerprint(source: source)
        return Demo(notebook: notebook, name: name, fingerprint: fingerprint.digest, sketch: fingerprint.sketch, run: run)
    }

    static func notebook(_ cells: [Cell]) -> Notebook {
        Notebook(nbformat: 4, nbformatMinor: 5, metadata: JSONObject(), cells: cells)
    }

    static func plan(_ notebook: Notebook, _ registry: DemoRegistry, path: String = "fixture.ipynb") throws -> RunPlan {
        try RunPlan(path: path, notebook: notebook, registry: registry)
    }

    static func streamLines(_ cell: Cell, _ name: String = "stdout") -> [String] {
        (cell.outputs ?? []).compactMap(\.stream).filter { $0.name == name }
            .flatMap { $0.text.split(separator: "\n").map(String.init) }
    }
}

/// Where cells that must run side by side meet: each `arrive`s and waits for the others.
/// Cells run one after another never meet, and `arrive` then returns false. The limit only
/// keeps a broken engine from hanging the suite; on a loaded machine they meet later, never
/// not at all, so no speed is asserted.
final class Rendezvous: @unchecked Sendable {
    // @unchecked: `arrived` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var arrived = 0
    private let parties: Int

    init(parties: Int) {
        self.parties = parties
    }

    /// Counts this party in, then waits for all; true when all arrived.
    func arrive(limit: TimeInterval = 30) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: limit)
        while arrived < parties, condition.wait(until: deadline) {}
        return arrived >= parties
    }

    /// Counts one party in without waiting (for an event, e.g. a cell having finished).
    func signal() {
        condition.lock()
        arrived += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits, without counting in, until all parties arrived; true when they did.
    func wait(limit: TimeInterval = 30) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: limit)
        while arrived < parties, condition.wait(until: deadline) {}
        return arrived >= parties
    }
}
