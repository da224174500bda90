import Engine
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
}
