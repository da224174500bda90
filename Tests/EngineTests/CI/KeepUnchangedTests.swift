import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// `run --keep-unchanged` at the engine level, and the `timeout` rule.
final class KeepUnchangedTests: XCTestCase {
    func testTimeoutRulesComeFromTheDemoEntryThenTheCell() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nbrun-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("nbrun.json")
        try Data(#"{"demos": {"02-threads/race": {"timeout": 7}, "02-threads/lock": {"timeout": 2.5}}}"#.utf8).write(
            to: config)
        var notebook = try NotebookFile.read(Fixture.threadsNotebookPath)
        let plan0 = try RunPlan(path: "02-threads.ipynb", notebook: notebook, registry: .course)
        let lock = try XCTUnwrap(plan0.steps.first { $0.demo.name == "lock" }?.cellIndex)
        let race = try XCTUnwrap(plan0.steps.first { $0.demo.name == "race" }?.cellIndex)
        notebook.cells[lock].metadata["nbrun"] = .object(JSONObject([("timeout", .int(4))]))
        let plan = try RunPlan(path: "02-threads.ipynb", notebook: notebook, registry: .course)
        XCTAssertEqual(try RuleBook.load(config.path, registry: .course).timeouts(for: plan), [race: 7, lock: 4])

        try Data(#"{"demos": {"02-threads/race": {"timeout": 0}}}"#.utf8).write(to: config)
        XCTAssertThrowsError(try RuleBook.load(config.path, registry: .course)) {
            XCTAssertTrue("\($0)".contains("timeout"), "\($0)")
        }
        try Data(#"{"demos": {"02-threads/rcae": {"skip": true}}}"#.utf8).write(to: config)
        XCTAssertThrowsError(try RuleBook.load(config.path, registry: .course)) {
            XCTAssertTrue("\($0)".contains("no registered demo is named 02-threads/rcae"), "\($0)")
        }
    }
}
