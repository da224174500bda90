import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// `run --keep-unchanged` at the engine level, and the `timeout` rule.
final class KeepUnchangedTests: XCTestCase {
    func testMatchingCellsKeepTheCommittedCellByteForByte() throws {
        let bytes = try NotebookFile.readBytes(CourseGoldenTests.path)
        let committed = try NotebookFile.decode(bytes)
        let plan = try RunPlan(path: CourseGoldenTests.path, notebook: committed, registry: .course)
        let fresh = Engine.run([plan], options: EngineOptions(seed: 1))[0].notebook
        let rules = try RuleBook.governing(plan.path, registry: .course)
        let merge = try KeepUnchanged.merge(plan, fresh: fresh, registry: .course, rules: rules)
        XCTAssertEqual(merge.changedCells, [], "the golden notebook matches a fresh run under its rules")
        XCTAssertEqual(merge.notebook.canonicalBytes(), bytes, "every kept cell is the committed one")

        var changed = committed
        changed.cells[2].outputs = [.stream(name: "stdout", text: "A starting\n")]
        let changedPlan = try RunPlan(path: plan.path, notebook: changed, registry: .course)
        let remerged = try KeepUnchanged.merge(changedPlan, fresh: fresh, registry: .course, rules: rules)
        XCTAssertEqual(remerged.changedCells, [2])
        XCTAssertEqual(remerged.notebook.cells[2], fresh.cells[2], "the changed cell is the fresh one")
        for index in committed.cells.indices where index != 2 {
            XCTAssertEqual(remerged.notebook.cells[index], committed.cells[index], "cell \(index + 1)")
        }
    }
}
