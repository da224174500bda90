import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import TestKit
import XCTest

/// `notebooks/06-faults.ipynb` against a real kernel (nbclient + ipykernel from the test
/// venv, `timeout=3, interrupt_on_timeout=True`, as the course's reference was made): what
/// threads print and where, the kernel's threads and counters, `threading.excepthook`'s
/// report with the cell's file, the interrupted deadlock's traceback frame by frame, the
/// task awaited a cell later. Only the kernel's pid in `/tmp/ipykernel_PID/` differs.
final class KernelNotebookTests: XCTestCase {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("notebooks/06-faults.ipynb").path

    /// The real kernel's install prefix, so that its library frames' paths compare too.
    static func realPrefix() throws -> String {
        try PythonReference.run("import os, threading; print(os.path.dirname(threading.__file__) + '/')")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// nbrun's run of 06 with the notebook's rules (timeouts, interrupts), in a kernel profile
    /// with `prefix`.
    static func nbrunRun(prefix: String) throws -> (Notebook, RunPlan) {
        let plan = try RunPlan(path: path, notebook: NotebookFile.read(path), registry: .course)
        let rules = try RuleBook.governing(path, registry: .course)
        var options = EngineOptions()
        options.cellTimeouts[path] = try rules.timeouts(for: plan)
        options.cellInterrupts[path] = try rules.interrupts(for: plan)
        options.kernel?.prefix = prefix
        return (Engine.run([plan], options: options)[0].notebook, plan)
    }

    static func masked(_ line: String) -> String {
        line.replacingOccurrences(of: #"/tmp/ipykernel_\d+/"#, with: "/tmp/ipykernel_PID/", options: .regularExpression)
    }

    func testTheNotebookAsTheRealKernelRunsIt() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let prefix = try Self.realPrefix()
        let (fresh, plan) = try Self.nbrunRun(prefix: prefix)
        let sources = plan.steps.map { fresh.cells[$0.cellIndex].source }
        var kernel = try KernelReference.run(sources, timeout: 3, interruptOnTimeout: true)
        XCTAssertEqual(kernel.count, plan.steps.count)
        // On a quiet machine the kernel prints the waiter's line into the release cell (20 of
        // 20 runs), as nbrun does; on a loaded one its waiter can wake after the kernel went
        // idle, and the line lands in the next cell. Then the two cells are compared as one.
        let names = plan.steps.map(\.demo.name)
        if let release = names.firstIndex(of: "gate-release"), release + 1 < kernel.count,
            kernel[release].stdout.isEmpty, kernel[release + 1].stdout == ["waiter: got the gate"]
        {
            kernel[release].stdout = kernel[release + 1].stdout
            kernel[release + 1].stdout = []
        }
        for (step, expected) in zip(plan.steps, kernel) {
            let cell = fresh.cells[step.cellIndex]
            let name = step.demo.name
            XCTAssertEqual(Fixture.streamLines(cell), expected.stdout, name)
            XCTAssertEqual(Fixture.streamLines(cell, "stderr").map(Self.masked), expected.stderr.map(Self.masked), name)
            let outputs = cell.outputs ?? []
            let value = outputs.first { $0.outputType == .executeResult }?.fields["data"]?.objectValue?["text/plain"]
            XCTAssertEqual(value?.stringValue, expected.value, name)
            let error = outputs.first { $0.outputType == .error }
            XCTAssertEqual(error?.fields["ename"]?.stringValue, expected.ename, name)
            XCTAssertEqual(error?.fields["evalue"]?.stringValue, expected.evalue, name)
            let traceback = (error?.fields["traceback"]?.arrayValue ?? []).compactMap(\.stringValue).map {
                $0.replacingOccurrences(of: #"\u001B\[[0-9;]*m"#, with: "", options: .regularExpression)
            }
            XCTAssertEqual(traceback, expected.traceback, name)
        }
        XCTAssertEqual(
            plan.steps.map { fresh.cells[$0.cellIndex].executionCount }, (1...12).map { .int(Int64($0)) })
    }

    /// A cell's error points at the line the port says raised it, as the kernel's does.
    func testACellsErrorPointsAtTheLineThatRaised() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let source = "x = 1\nvalue = int('forty-two')\nprint(value)\ny = 2"
        let registry = DemoRegistry([
            Fixture.sessionDemo(source, name: "raise") { ctx, _ in
                let value = try ctx.line(2) { try Faults06Int.int("forty-two") }
                ctx.print(value)
                return .none
            }
        ])
        let plan = try Fixture.plan(
            Fixture.notebook([Fixture.codeCell(source, tags: ["no-run", "raises-exception"])]), registry)
        let cell = Engine.run([plan])[0].notebook.cells[0]
        let error = try XCTUnwrap(cell.outputs?.first { $0.outputType == .error })
        let traceback = (error.fields["traceback"]?.arrayValue ?? []).compactMap(\.stringValue).map {
            $0.replacingOccurrences(of: #"\u001B\[[0-9;]*m"#, with: "", options: .regularExpression)
        }
        let kernel = try XCTUnwrap(KernelReference.run([source]).first)
        XCTAssertEqual(traceback, kernel.traceback)
        XCTAssertEqual(error.fields["evalue"]?.stringValue, kernel.evalue)
    }
}

/// Python's `int(text)` for the fixture above.
private enum Faults06Int {
    static func int(_ text: String) throws -> Int {
        guard let value = Int(text) else {
            throw builtins.ValueError("invalid literal for int() with base 10: \(PyValue.str(text).repr)")
        }
        return value
    }
}
