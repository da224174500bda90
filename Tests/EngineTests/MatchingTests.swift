import Engine
import EngineTestKit
import Notebook
import PythonRuntime
import XCTest

final class MatchingTests: XCTestCase {
    let hello = "print('hello')\nprint('world')"

    func testTaggedCellMatchesItsDemoWhateverTheStorageOfItsSource() throws {
        let registry = DemoRegistry([Fixture.demo(hello, name: "hello") { $0.print("hello") }])
        // The same source stored differently: trailing whitespace, CRLF, trailing blank lines.
        for variant in [hello, "print('hello')   \r\nprint('world')\n\n", "print('hello')\t\nprint('world')  "] {
            let plan = try Fixture.plan(Fixture.notebook([Fixture.codeCell(variant)]), registry)
            XCTAssertEqual(plan.steps.map(\.demo.name), ["hello"], "variant \(variant.debugDescription)")
        }
    }

    func testEditedSourceIsRefusedByNameWithTheNearestDemo() throws {
        let registry = DemoRegistry([Fixture.demo(hello + "\nprint('!')\nx = 1", name: "hello") { _ in }])
        let edited = hello + "\nprint('?')\nx = 1"
        let notebook = Fixture.notebook([
            Cell(type: .markdown, source: "# title"),
            Fixture.codeCell(edited, id: "abc123"),
        ])
        XCTAssertThrowsError(try Fixture.plan(notebook, registry)) { error in
            guard let drift = error as? DriftError else { return XCTFail("\(error)") }
            XCTAssertEqual(drift.problems.count, 1)
            let text = drift.description
            XCTAssertTrue(text.contains("cell 2 (id abc123)"), text)
            XCTAssertTrue(text.contains("print('hello')"), text)
            XCTAssertTrue(text.contains("nearest is fixture/hello"), text)
        }
    }

    func testUnportedCellWithNothingCloseNamesNoNearest() throws {
        let registry = DemoRegistry([Fixture.demo(hello, name: "hello") { _ in }])
        let notebook = Fixture.notebook([Fixture.codeCell("import os\nos.listdir('.')")])
        XCTAssertThrowsError(try Fixture.plan(notebook, registry)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cell 1"), text)
            XCTAssertFalse(text.contains("nearest"), text)
        }
    }

    func testUntaggedAndMarkdownCellsAreNotMatched() throws {
        let notebook = Fixture.notebook([
            Fixture.codeCell("anything at all", tags: []),
            Fixture.codeCell("tagged differently", tags: ["skip"]),
            Cell(type: .markdown, metadata: JSONObject([("tags", .array([.string("no-run")]))]), source: "text"),
        ])
        let plan = try Fixture.plan(notebook, DemoRegistry([]))
        XCTAssertTrue(plan.steps.isEmpty)
    }

    func testSameSourceInTwoNotebooksGoesToTheNotebooksOwnDemo() throws {
        let registry = DemoRegistry([
            Fixture.demo(hello, name: "a", notebook: "first") { _ in },
            Fixture.demo(hello, name: "b", notebook: "second") { _ in },
        ])
        let notebook = Fixture.notebook([Fixture.codeCell(hello)])
        XCTAssertEqual(try Fixture.plan(notebook, registry, path: "dir/second.ipynb").steps.map(\.demo.name), ["b"])
        XCTAssertThrowsError(try Fixture.plan(notebook, registry, path: "third.ipynb")) { error in
            XCTAssertTrue("\(error)".contains("several demos match"), "\(error)")
        }
    }

    func testIdenticalCellsOfANotebookShareOnePort() throws {
        let registry = DemoRegistry([Fixture.demo(hello, name: "hello") { _ in }])
        let notebook = Fixture.notebook([
            Fixture.codeCell(hello), Fixture.codeCell("x = 1", tags: []), Fixture.codeCell(hello),
        ])
        XCTAssertEqual(try Fixture.plan(notebook, registry).steps.map(\.demo.name), ["hello", "hello"])
    }

    /// A session notebook's `lock.release()` is its own port's, not that of another notebook
    /// with the same line: the other port could not be given this notebook's session.
    func testASessionNotebooksCellsMatchItsOwnPortOnly() throws {
        let release = "lock.release()"
        let registry = DemoRegistry([
            Fixture.demo(release, name: "release", notebook: "first") { _ in },
            Fixture.demo(hello, name: "hello", notebook: "first") { _ in },
            Fixture.sessionDemo(hello, name: "greet", notebook: "second") { _, _ in .none },
        ])
        let notebook = Fixture.notebook([Fixture.codeCell(hello), Fixture.codeCell(release)])
        XCTAssertThrowsError(try Fixture.plan(notebook, registry, path: "second.ipynb")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cell 2") && text.contains("lock.release()"), text)
            XCTAssertFalse(text.contains("cell 1"), "the session's own cell matches: \(text)")
        }
        // A session demo ports no other notebook's cell either.
        let plan = try Fixture.plan(Fixture.notebook([Fixture.codeCell(hello)]), registry, path: "first.ipynb")
        XCTAssertEqual(plan.steps.map(\.demo.id), ["first/hello"])
        let third = try Fixture.plan(Fixture.notebook([Fixture.codeCell(hello)]), registry, path: "third.ipynb")
        XCTAssertEqual(third.steps.map(\.demo.id), ["first/hello"], "not ambiguous with second's session port")
    }

    /// Copies of a notebook under other names (`000.ipynb`, as the 1000-copy runs make) are
    /// the port of the registered notebook owning most of their cells.
    func testACopyUnderAnotherNameMatchesTheSessionPortItCopies() throws {
        let registry = DemoRegistry([
            Fixture.demo("lock.release()", name: "release", notebook: "first") { _ in },
            Fixture.sessionDemo(hello, name: "greet", notebook: "second") { _, _ in .none },
            Fixture.sessionDemo("lock.release()", name: "release", notebook: "second") { _, _ in .none },
        ])
        let notebook = Fixture.notebook([Fixture.codeCell(hello), Fixture.codeCell("lock.release()")])
        XCTAssertEqual(
            try Fixture.plan(notebook, registry, path: "copies/000.ipynb").steps.map(\.demo.id),
            [
                "second/greet", "second/release",
            ])
        XCTAssertEqual(registry.owner(of: notebook, named: "000"), "second")
        XCTAssertNil(DemoRegistry([]).owner(of: notebook, named: "000"))
    }
}
