import Foundation
import XCTest

/// A rule pattern that backtracks without bound, brought by a notebook's `metadata.nbrun`,
/// stops that notebook's comparison with an error naming the file, the cell and the rule;
/// the other notebooks are checked as usual and nothing is written.
final class RunawayRuleTests: XCTestCase {
    static let course = CLI.repository.appendingPathComponent("notebooks/02-threads.ipynb")

    /// The course notebook with a mask of `(x+x+)+y` on its last cell (the lock demo) and a
    /// committed output line of 64 `x`s under it: unbounded, ICU would take years.
    func runawayNotebook() throws -> Data {
        var notebook = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: Self.course)) as? [String: Any])
        var cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        let index = try XCTUnwrap(cells.lastIndex { $0["cell_type"] as? String == "code" })
        var metadata = try XCTUnwrap(cells[index]["metadata"] as? [String: Any])
        metadata["nbrun"] = ["mask": "(x+x+)+y"]
        cells[index]["metadata"] = metadata
        var outputs = try XCTUnwrap(cells[index]["outputs"] as? [[String: Any]])
        outputs.append(["output_type": "stream", "name": "stdout", "text": [String(repeating: "x", count: 64) + "\n"]])
        cells[index]["outputs"] = outputs
        XCTAssertEqual(cells[index]["id"] as? String, "915e55d2", "the lock cell of the golden notebook")
        notebook["cells"] = cells
        return try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys])
    }

    /// `bad/02-threads.ipynb` with the runaway rule, `good/02-threads.ipynb` the golden one.
    func folders() throws -> (TemporaryDirectory, bad: URL, good: URL) {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("bad"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(at: directory.path("good"), withIntermediateDirectories: false)
        try directory.copy(CLI.repository.appendingPathComponent("nbrun.json"))
        let bad = try directory.write(Array(try runawayNotebook()), to: "bad/02-threads.ipynb")
        let good = try directory.copy(Self.course, as: "good/02-threads.ipynb")
        return (directory, bad, good)
    }

    static let naming = #"bad/02-threads.ipynb: cell 21 (id 915e55d2): metadata.nbrun: mask "(x+x+)+y" was stopped"#

    func testCheckStopsTheRunawayRuleAndChecksTheOtherNotebook() throws {
        let (directory, bad, good) = try folders()
        let before = [FileSnapshot(bad), FileSnapshot(good)]
        let started = Date()
        let result = try CLI.run(["check", "bad", "good", "--junit", "report.xml"], cwd: directory.url, timeout: 60)
        XCTAssertFalse(result.timedOut, result.summary)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("nbrun: " + Self.naming), result.summary)
        XCTAssertTrue(result.stderr.contains("; 0 cells differ\n"), result.summary)
        let report = try String(contentsOf: directory.path("report.xml"), encoding: .utf8)
        let cases = report.components(separatedBy: "<testcase ").dropFirst()
        XCTAssertEqual(
            cases.filter { $0.hasPrefix(#"classname="good/02-threads.ipynb""#) }.count, 9,
            "the good notebook's nine cells are checked: \(report)")
        XCTAssertEqual(cases.filter { $0.contains("bad/") }.count, 0, "the bad notebook is reported, not checked")
        XCTAssertEqual([FileSnapshot(bad), FileSnapshot(good)], before, "check writes nothing")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, result.summary)
    }

    func testRunKeepUnchangedWritesNothingForTheNotebookWithTheRunawayRule() throws {
        let (directory, bad, _) = try folders()
        let before = FileSnapshot(bad)
        let result = try CLI.run(["run", "--keep-unchanged", "bad/02-threads.ipynb"], cwd: directory.url, timeout: 60)
        XCTAssertFalse(result.timedOut, result.summary)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains(Self.naming), result.summary)
        XCTAssertEqual(FileSnapshot(bad), before, "the notebook is left as it was")
    }

    func testDiffStopsTheRunawayRule() throws {
        let (directory, _, _) = try folders()
        let result = try CLI.run(["diff", "bad/02-threads.ipynb", "good/02-threads.ipynb"], cwd: directory.url)
        XCTAssertFalse(result.timedOut, result.summary)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(
            result.stderr.contains(#"cell 21 (id 915e55d2): metadata.nbrun: mask "(x+x+)+y""#), result.summary)
    }
}
