import Foundation
import XCTest

/// Notebooks from a newer nbformat minor version: what it may add (a cell type, an output
/// type, keys anywhere) is kept and written back as nbformat writes it; a cell of an
/// unknown type is never run, matched, listed or scaffolded.
final class NewerMinorCLITests: XCTestCase {
    /// nbformat's own `tests/test4plus.ipynb`: minor 99, a "future cell" and a "future output".
    static let test4plus = CLI.roundTripCorpus.appendingPathComponent("test4plus.ipynb")

    func testFmtWritesNbformatsBytes() throws {
        let directory = try TemporaryDirectory()
        let input = try directory.copy(Self.test4plus)
        let expected = try Data(contentsOf: CLI.expectedCorpus.appendingPathComponent("test4plus.ipynb"))
        let check = try CLI.run(["fmt", "--check", "test4plus.ipynb"], cwd: directory.url)
        XCTAssertEqual(check.status, 1, "not yet in nbformat's layout: \(check.summary)")
        let result = try CLI.run(["fmt", "test4plus.ipynb"], cwd: directory.url)
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(try Data(contentsOf: input), expected, "fmt writes what nbformat.write writes")
        XCTAssertEqual(try CLI.run(["fmt", "--check", "test4plus.ipynb"], cwd: directory.url).status, 0)
    }

    /// The course notebook at minor 99 with a cell of a new type, tagged no-run and holding
    /// the lock demo's source: it must be neither run nor matched.
    func futureCourse(in directory: TemporaryDirectory) throws -> URL {
        let course = CLI.repository.appendingPathComponent("notebooks/02-threads.ipynb")
        var notebook = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: course)) as? [String: Any])
        var cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        let lock = try XCTUnwrap(cells.last { $0["id"] as? String == "915e55d2" })
        cells.insert(
            [
                "cell_type": "future cell", "id": "future-1", "metadata": ["tags": ["no-run"]],
                "source": lock["source"] ?? "", "key": ["value", 1],
                "outputs": [["output_type": "stream", "name": "stdout", "text": "left\nalone"]],
            ], at: 1)
        notebook["cells"] = cells
        notebook["nbformat_minor"] = 99
        let data = try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys, .prettyPrinted])
        return try directory.write(Array(data), to: "02-threads.ipynb")
    }

    func cell(_ id: String, in url: URL) throws -> NSDictionary {
        let notebook = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        return try XCTUnwrap(cells.first { $0["id"] as? String == id }) as NSDictionary
    }

    func testACellOfANewTypeIsKeptAndNeverRun() throws {
        let directory = try TemporaryDirectory()
        let input = try futureCourse(in: directory)
        let formatted = directory.path("formatted.ipynb")
        XCTAssertEqual(try CLI.run(["fmt", "-o", formatted.path, input.path]).status, 0)

        let list = try CLI.run(["list", input.path])
        XCTAssertEqual(list.status, 0, list.summary)
        XCTAssertEqual(list.stdout.components(separatedBy: "-> 02-threads/").count - 1, 9, list.summary)
        XCTAssertFalse(list.stdout.contains("future-1"), list.summary)
        XCTAssertFalse(try CLI.run(["scaffold", input.path]).stdout.contains("future-1"))

        let output = directory.path("out.ipynb")
        let run = try CLI.run(["run", "-o", output.path, input.path], timeout: 60)
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertTrue(run.stderr.contains("9 cells"), "the nine course cells ran, not the future one: \(run.summary)")
        XCTAssertEqual(
            try cell("future-1", in: output), try cell("future-1", in: formatted), "kept as nbformat writes it")
        XCTAssertEqual(try CLI.run(["fmt", "--check", output.path]).status, 0, "written in nbformat's layout")
        let outputText = try String(contentsOf: output, encoding: .utf8)
        XCTAssertTrue(outputText.contains("\"nbformat_minor\": 99"), "the minor version is kept")
        XCTAssertTrue(outputText.contains("\"text\": \"left\\nalone\""), "a new cell's outputs are not touched")

        let check = try CLI.run(["check", input.path], timeout: 60)
        XCTAssertTrue(check.stderr.contains(", 9 cells in "), "the nine course cells are checked: \(check.summary)")
    }
}
