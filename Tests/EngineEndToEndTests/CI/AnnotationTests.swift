import Engine
import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import XCTest

/// `--format github`: one `::error` per failure kind, on the line of the cell's `"source"`.
final class AnnotationTests: XCTestCase {
    /// The line of each cell's source, found independently: nbformat's layout puts a cell's
    /// keys at an indent of three spaces.
    private func sourceLinesByLayout(_ bytes: [UInt8]) -> [Int] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().filter { $0.element.hasPrefix("   \"source\": ") }.map { $0.offset + 1 }
    }

    /// A cell that raised and a cell that timed out, run for real through the engine.
    func testRaisedAndTimedOutCellsPointAtTheirCells() throws {
        let registry = DemoRegistry([
            Fixture.demo("raise", name: "raises") { _ in throw builtins.ValueError("bad input") },
            Fixture.demo("sleep", name: "sleeps") { _ in Thread.sleep(forTimeInterval: 2) },
        ])
        let notebook = Fixture.notebook([
            Fixture.codeCell("x = 1", tags: []), Fixture.codeCell("raise"), Fixture.codeCell("sleep"),
        ])
        var options = EngineOptions()
        options.cellTimeouts["fixture.ipynb"] = [2: 0.1]
        let result = Engine.run([try Fixture.plan(notebook, registry)], options: options)[0]
        let bytes = result.notebook.canonicalBytes()
        let lines = CellSourceLines.lines(in: bytes)
        let commands = result.failures.map { Annotation.failed("fixture.ipynb", $0).command(sourceLines: lines) }
        XCTAssertEqual(commands.count, 2)
        XCTAssertTrue(
            commands[0].hasPrefix(
                "::error file=fixture.ipynb,line=\(lines[1]),title=nbrun%3A cell raised an error%2C cell 2"),
            commands[0])
        XCTAssertTrue(
            commands[0].contains("raised ValueError%3A bad input")
                || commands[0].contains("raised ValueError: bad input"), commands[0])
        XCTAssertTrue(
            commands[1].hasPrefix(
                "::error file=fixture.ipynb,line=\(lines[2]),title=nbrun%3A cell timed out%2C cell 3"), commands[1])
        XCTAssertEqual(lines, sourceLinesByLayout(bytes))
    }
}
