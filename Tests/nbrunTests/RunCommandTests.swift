import Foundation
import XCTest

/// `nbrun NOTEBOOK...` end to end on the course notebook, through the built binary.
final class RunCommandTests: XCTestCase {
    static let course = CLI.repository.appendingPathComponent("notebooks/02-threads.ipynb")

    func testRunRewritesInPlaceWithOutputsCountsAndTiming() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(Self.course, as: "threads.ipynb")
        let result = try CLI.run([notebook.path, "--seed", "3"])
        XCTAssertEqual(result.status, 0, result.summary)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: notebook)) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let ran = cells.filter {
            (($0["metadata"] as? [String: Any])?["tags"] as? [String])?.contains("no-run") == true
        }
        XCTAssertEqual(ran.count, 9)
        XCTAssertEqual(ran.compactMap { $0["execution_count"] as? Int }, Array(1...9))
        for cell in ran {
            let execution = (cell["metadata"] as? [String: Any])?["execution"] as? [String: String]
            XCTAssertEqual(execution?.count, 4)
            XCTAssertFalse((cell["outputs"] as? [Any])?.isEmpty ?? true)
        }
        XCTAssertTrue(strayTemporaryFiles(directory.url).isEmpty)
    }

    func testOutputOptionLeavesTheInputUntouched() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(Self.course, as: "in.ipynb")
        let before = FileSnapshot(notebook)
        let result = try CLI.run([notebook.path, "-o", directory.path("out.ipynb").path])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(FileSnapshot(notebook), before)
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.path("out.ipynb").path))
        let twoInputs = try CLI.run([notebook.path, notebook.path, "-o", directory.path("x.ipynb").path])
        XCTAssertEqual(twoInputs.status, 2, "-o takes one notebook: a usage error")
    }

    func testADashWritesTheResultToStdout() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(Self.course, as: "in.ipynb")
        let before = FileSnapshot(notebook)
        let run = try CLI.run([notebook.path, "-o", "-"])
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertTrue(run.stdout.hasPrefix("{\n \"cells\": [") && run.stdout.contains("iopub.status.idle"), run.summary)
        let formatted = try CLI.run(["fmt", notebook.path, "-o", "-"])
        XCTAssertEqual(formatted.status, 0, formatted.summary)
        XCTAssertEqual(
            formatted.stdout, try String(contentsOf: notebook, encoding: .utf8), "the golden notebook is canonical")
        XCTAssertEqual(FileSnapshot(notebook), before)
        XCTAssertEqual(allEntries(directory.url), ["in.ipynb"], "no file named -")
    }

    func testSeveralNotebooksInOneCallShareThePool() throws {
        let directory = try TemporaryDirectory()
        for index in 0..<4 { try directory.copy(Self.course, as: "copy\(index).ipynb") }
        try FileManager.default.createDirectory(
            at: directory.path(".ipynb_checkpoints"), withIntermediateDirectories: true)
        let checkpoint = try directory.copy(Self.course, as: ".ipynb_checkpoints/copy0-checkpoint.ipynb")
        let before = FileSnapshot(checkpoint)
        let result = try CLI.run([directory.url.path])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(FileSnapshot(checkpoint), before, "checkpoints are skipped")
        var spans: [(start: String, end: String)] = []
        for index in 0..<4 {
            let text = try String(contentsOf: directory.path("copy\(index).ipynb"), encoding: .utf8)
            XCTAssertTrue(text.contains("\"iopub.status.idle\""), "copy\(index) was run")
            spans.append(try Self.span(of: text))
        }
        // Side by side, not one after another: every notebook's cells were running while
        // each other notebook's were (ISO timestamps of one clock compare as strings).
        for a in spans.indices {
            for b in spans.indices where a != b {
                XCTAssertLessThan(spans[a].start, spans[b].end, "copy\(a) started after copy\(b) had finished")
            }
        }
    }

    /// The first `execute_input` and the last `execute_reply` a notebook's timing metadata records.
    static func span(of notebook: String) throws -> (start: String, end: String) {
        func stamps(_ key: String) -> [String] {
            let pattern = try? NSRegularExpression(pattern: "\"\(key)\": \"([^\"]+)\"")
            let range = NSRange(notebook.startIndex..., in: notebook)
            return (pattern?.matches(in: notebook, range: range) ?? []).compactMap {
                Range($0.range(at: 1), in: notebook).map { String(notebook[$0]) }
            }
        }
        let start = try XCTUnwrap(stamps("iopub.execute_input").min())
        let end = try XCTUnwrap(stamps("shell.execute_reply").max())
        return (start, end)
    }

    func testAnEditedCellIsRefusedByNameBeforeAnythingRuns() throws {
        let directory = try TemporaryDirectory()
        var text = try String(contentsOf: Self.course, encoding: .utf8)
        text = text.replacingOccurrences(of: "    return n * 10", with: "    return n * 100")
        let notebook = try directory.write(Array(text.utf8), to: "edited.ipynb")
        let before = FileSnapshot(notebook)
        let result = try CLI.run([notebook.path])
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(FileSnapshot(notebook), before, "the notebook is untouched")
        XCTAssertLessThanOrEqual(result.stderrLines.count, 2, result.summary)
        XCTAssertTrue(result.stderr.contains("edited.ipynb"), result.summary)
        XCTAssertTrue(result.stderr.contains("cell 17"), result.summary)
        XCTAssertTrue(result.stderr.contains("def flaky(n):"), result.summary)
        XCTAssertTrue(result.stderr.contains("nearest is 02-threads/flaky"), result.summary)
    }

    func testListShowsEveryDemoAndTheMappingOfANotebook() throws {
        let all = try CLI.run(["list"])
        XCTAssertEqual(all.status, 0, all.summary)
        XCTAssertEqual(all.stdout.split(separator: "\n").filter { $0.hasPrefix("02-threads\t") }.count, 9)
        let mapping = try CLI.run(["list", Self.course.path])
        XCTAssertEqual(mapping.status, 0, mapping.summary)
        XCTAssertTrue(mapping.stdout.contains("-> 02-threads/race"), mapping.summary)
    }

    func testScaffoldPrintsAStubForEachUnportedCell() throws {
        let directory = try TemporaryDirectory()
        var text = try String(contentsOf: Self.course, encoding: .utf8)
        text = text.replacingOccurrences(of: "    return n * 10", with: "    return n * 100")
        let notebook = try directory.write(Array(text.utf8), to: "05-new-things.ipynb")
        let result = try CLI.run(["scaffold", notebook.path])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stdout.contains("public enum NewThings05"), result.summary)
        XCTAssertEqual(result.stdout.components(separatedBy: "Demo(notebook:").count - 1, 1, "only the edited cell")
        XCTAssertTrue(result.stdout.contains("fingerprint: \""), result.summary)
    }

    func testCheckPassesOnTheGoldenNotebookAndWritesJUnit() throws {
        let directory = try TemporaryDirectory()
        let junit = directory.path("report.xml")
        let before = FileSnapshot(Self.course)
        let result = try CLI.run(["check", Self.course.path, "--junit", junit.path])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(FileSnapshot(Self.course), before, "check writes nothing")
        let xml = try String(contentsOf: junit, encoding: .utf8)
        XCTAssertEqual(xml.components(separatedBy: "<testcase ").count - 1, 9)
        XCTAssertFalse(xml.contains("<failure"))
    }

    func testCheckAndDiffReportARegression() throws {
        let directory = try TemporaryDirectory()
        var text = try String(contentsOf: Self.course, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"got: 400000\\n\"", with: "\"got: 399999\\n\"")
        XCTAssertTrue(text.contains("399999"), "the golden lock cell prints got: 400000")
        let broken = try directory.write(Array(text.utf8), to: "02-threads.ipynb")
        try directory.copy(CLI.repository.appendingPathComponent("nbrun.json"))
        let junit = directory.path("report.xml")
        let check = try CLI.run(["check", broken.path, "--junit", junit.path])
        XCTAssertEqual(check.status, 1, check.summary)
        XCTAssertTrue(check.stdout.contains("[02-threads/lock]"), check.summary)
        // One summary line, on stderr: "nbrun: 1 notebook, 9 cells in 1.2 s; 1 cell differs".
        XCTAssertTrue(
            check.stderr.contains(", 9 cells in ") && check.stderr.contains("; 1 cell differs\n"), check.summary)
        XCTAssertFalse(check.stdout.contains("cells checked"), "check says its summary once, on stderr")
        XCTAssertTrue(check.stdout.contains("-got: 399999") && check.stdout.contains("+got: 400000"), check.summary)
        XCTAssertTrue(try String(contentsOf: junit, encoding: .utf8).contains("<failure"))
        let diff = try CLI.run(["diff", Self.course.path, broken.path])
        XCTAssertEqual(diff.status, 1, diff.summary)
        XCTAssertTrue(diff.stdout.contains("+got: 399999"), diff.summary)
        XCTAssertEqual(try CLI.run(["diff", Self.course.path, Self.course.path]).status, 0)
    }
}
