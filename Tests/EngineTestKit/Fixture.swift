import Demos
import Engine
import Foundation
import Notebook
import PythonRuntime
import TestKit

/// Small notebooks and a registry of small closures (not the course demos) for the engine's
/// tests, unit and end to end.
package enum Fixture {
    package static func codeCell(_ source: String, tags: [String] = ["no-run"], id: String? = nil) -> Cell {
        var metadata = JSONObject()
        if !tags.isEmpty { metadata["tags"] = .array(tags.map(JSONValue.string)) }
        return Cell(type: .code, id: id, metadata: metadata, source: source)
    }

    package static func demo(
        _ source: String, name: String, notebook: String = "fixture",
        run: @escaping @Sendable (DemoContext) throws -> Void
    ) -> Demo {
        let fingerprint = SourceFingerprint(source: source)
        return Demo(
            notebook: notebook, name: name, fingerprint: fingerprint.digest, sketch: fingerprint.sketch, run: run)
    }

    package static func notebook(_ cells: [Cell]) -> Notebook {
        Notebook(nbformat: 4, nbformatMinor: 5, metadata: JSONObject(), cells: cells)
    }

    package static func plan(_ notebook: Notebook, _ registry: DemoRegistry, path: String = "fixture.ipynb") throws
        -> RunPlan
    {
        try RunPlan(path: path, notebook: notebook, registry: registry)
    }

    /// `count` cells that all wait for each other (over `notebooks` copies): each prints
    /// `met` when the others joined it, `alone` when they did not.
    package static func meeting(count: Int, notebooks: Int = 1) -> (Notebook, DemoRegistry) {
        let meeting = Rendezvous(parties: count * notebooks)
        var cells: [Cell] = [Cell(type: .markdown, source: "intro")]
        var demos: [Demo] = []
        for index in 0..<count {
            let source = "meet(\(index))"
            cells.append(codeCell(source))
            demos.append(
                demo(source, name: "meet-\(index)") { ctx in
                    ctx.print(meeting.arrive() ? "met" : "alone")
                })
        }
        return (notebook(cells), DemoRegistry(demos))
    }

    /// A demo that does nothing, named `name` (what admission's bookkeeping is keyed by).
    package static func emptyDemo(_ name: String) -> Demo {
        Demo(notebook: "fixture", name: name, fingerprint: name) { _ in }
    }

    package static func streamLines(_ cell: Cell, _ name: String = "stdout") -> [String] {
        (cell.outputs ?? []).compactMap(\.stream).filter { $0.name == name }
            .flatMap { $0.text.split(separator: "\n").map(String.init) }
    }
}

extension DemoRegistry {
    /// The demos of nbrun's own course (`notebooks/`), as the `nbrun` executable registers them.
    package static let course = DemoRegistry(Catalog.demos)
}

/// The session of the fixture notebooks written step by step: what their cells share.
package final class FixtureSession: NotebookSession, @unchecked Sendable {
    // @unchecked: touched only by the fixture's cells and threads, holding its GIL.
    package var log: [String] = []
    package var threads: [threading.Thread] = []
    package let event = threading.Event()
    package let gate = threading.Lock()
    package var interpreter: PyInterpreter?

    package init() {}
}

extension Fixture {
    /// A cell of a fixture notebook written step by step.
    package static func sessionDemo(
        _ source: String, name: String, notebook: String = "fixture",
        cell: @escaping @Sendable (DemoContext, FixtureSession) throws -> PyValue
    ) -> Demo {
        let fingerprint = SourceFingerprint(source: source)
        return Demo(
            notebook: notebook, name: name, fingerprint: fingerprint.digest, sketch: fingerprint.sketch,
            session: FixtureSession.self, cell: cell)
    }
}

extension Fixture {
    /// The course's `notebooks/02-threads.ipynb` in this checkout.
    package static let threadsNotebookPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("notebooks/02-threads.ipynb").path
}
