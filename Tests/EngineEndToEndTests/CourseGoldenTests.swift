import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// `nbrun check` against the committed course notebook: fresh runs never raise false
/// alarms, and every kind of real regression is caught.
final class CourseGoldenTests: XCTestCase {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("notebooks/02-threads.ipynb").path

    func golden() throws -> RunPlan {
        try RunPlan(path: Self.path, notebook: NotebookFile.read(Self.path), registry: .course)
    }

    func compare(_ plan: RunPlan, _ fresh: Notebook) throws -> [NotebookComparison.Entry] {
        try NotebookComparison.compare(
            expected: plan.notebook, actual: fresh,
            pairs: plan.steps.map { ($0.cellIndex, $0.cellIndex) },
            path: plan.path, registry: .course, rules: RuleBook.governing(plan.path, registry: .course))
    }

    func testEveryNoRunCellOfTheCourseHasItsPortAndGoldenOutputs() throws {
        let plan = try golden()
        XCTAssertEqual(
            plan.steps.map(\.demo.name),
            [
                "raw-thread", "three-threads", "submit-one", "submit-many", "map", "as-completed", "flaky", "race",
                "lock",
            ])
        for step in plan.steps {
            XCTAssertFalse(
                plan.notebook.cells[step.cellIndex].outputs?.isEmpty ?? true, "\(step.demo.name) has committed outputs")
        }
    }

    func testFiveFreshRegenerationsInARowAllPass() throws {
        let plan = try golden()
        for run in 1...5 {
            let fresh = Engine.run([plan])[0].notebook
            for entry in try compare(plan, fresh) where !entry.comparison.matches {
                XCTFail(
                    "run \(run): \(entry.label) [\(entry.demo ?? "-")] false alarm:\n"
                        + entry.comparison.differences.joined(separator: "\n"))
            }
        }
    }

    func testEachKindOfRegressionIsCaught() throws {
        let plan = try golden()
        let fresh = Engine.run([plan])[0].notebook
        XCTAssertTrue(try compare(plan, fresh).allSatisfy(\.comparison.matches))
        let regressions: [(demo: String, what: String, edit: ([String]) -> [String])] = [
            (
                "submit-one", "a changed word",
                { $0.map { $0.replacingOccurrences(of: "doing other", with: "doing some") } }
            ),
            ("map", "a dropped line", { Array($0.dropLast()) }),
            (
                "map", "two lines of map swapped",
                { lines in
                    var l = lines; l.swapAt(0, 1); return l
                }
            ),
            ("lock", "399999 instead of 400000", { $0.map { $0.replacingOccurrences(of: "400000", with: "399999") } }),
            ("three-threads", "a tripled time", { $0.map { $0.hasPrefix("elapsed:") ? "elapsed: 1.50s" : $0 } }),
            (
                "as-completed", "a renamed line",
                { $0.map { $0.replacingOccurrences(of: "site/3 done", with: "site/3 failed") } }
            ),
            ("as-completed", "a missing line", { Array($0.dropFirst()) }),
            ("flaky", "a lost failure", { $0.filter { !$0.contains("failed") } }),
            (
                "race", "a changed expectation",
                { $0.map { $0.replacingOccurrences(of: "expected: 400000", with: "expected: 40000") } }
            ),
        ]
        for regression in regressions {
            let broken = try edit(fresh, plan: plan, demo: regression.demo, regression.edit)
            let differing = try compare(plan, broken).filter { !$0.comparison.matches }.compactMap(\.demo)
            XCTAssertEqual(
                differing, ["02-threads/\(regression.demo)"],
                "\(regression.what) in \(regression.demo) must be caught, alone")
        }
    }

    /// The notebook with one cell's stdout lines edited.
    private func edit(_ notebook: Notebook, plan: RunPlan, demo: String, _ change: ([String]) -> [String]) throws
        -> Notebook
    {
        let step = try XCTUnwrap(plan.steps.first { $0.demo.name == demo })
        var notebook = notebook
        let lines = OutputLines(notebook.cells[step.cellIndex].outputs ?? []).stdout
        notebook.cells[step.cellIndex].outputs = [
            .stream(name: "stdout", text: change(lines).map { $0 + "\n" }.joined())
        ]
        return notebook
    }
}
