import Engine
import Foundation
import Futures
import Notebook
import PythonRuntime
import XCTest

/// `--format github`: one `::error` per failure kind, on the line of the cell's `"source"`.
final class AnnotationTests: XCTestCase {
    private let courseBytes = { () -> [UInt8] in
        (try? NotebookFile.readBytes(CourseGoldenTests.path)) ?? []
    }()

    /// The line of each cell's source, found independently: nbformat's layout puts a cell's
    /// keys at an indent of three spaces.
    private func sourceLinesByLayout(_ bytes: [UInt8]) -> [Int] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().filter { $0.element.hasPrefix("   \"source\": ") }.map { $0.offset + 1 }
    }

    func testSourceLinesOfTheCourseNotebook() throws {
        let notebook = try NotebookFile.decode(courseBytes)
        let lines = CellSourceLines.lines(in: courseBytes)
        XCTAssertEqual(lines.count, notebook.cells.count)
        XCTAssertEqual(lines, sourceLinesByLayout(courseBytes))
    }

    func testSourceLinesDoNotDependOnTheLayout() throws {
        // Everything on one line, keys in another order, a "source" key nested in metadata.
        let json =
            #"{"metadata": {"source": 1}, "cells": [{"source": "a", "metadata": {"source": "x"}}, "#
            + "\n" + #"{"cell_type": "code", "outputs": [{"text": "\"source\": ["}],"# + "\n\n"
            + #" "source": ["b"]}]}"#
        XCTAssertEqual(CellSourceLines.lines(in: Array(json.utf8)), [1, 4])
        XCTAssertEqual(CellSourceLines.lines(in: Array("[1, 2]".utf8)), [])
    }

    func testEscapingFollowsGitHubsRules() {
        let annotation = Annotation(path: "nb/a,b.ipynb", cellIndex: 1, title: "x: y, z", message: "50%\nnext\r")
        XCTAssertEqual(
            annotation.command(sourceLines: [3, 9]),
            "::error file=nb/a%2Cb.ipynb,line=9,title=x%3A y%2C z::50%25%0Anext%0D")
        XCTAssertEqual(
            annotation.command(sourceLines: []), "::error file=nb/a%2Cb.ipynb,title=x%3A y%2C z::50%25%0Anext%0D",
            "no line when the file cannot be read")
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

    func testStaleAndDifferingCellsPointAtTheirCells() throws {
        var text = String(decoding: courseBytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "    return n * 10", with: "    return n * 100")
        let edited = Array(text.utf8)
        let lines = CellSourceLines.lines(in: edited)
        XCTAssertThrowsError(
            try RunPlan(path: "02-threads.ipynb", notebook: NotebookFile.decode(edited), registry: .course)
        ) { error in
            guard let drift = error as? DriftError, let problem = drift.problems.first else {
                return XCTFail("\(error)")
            }
            let command = Annotation.stale("02-threads.ipynb", problem).command(sourceLines: lines)
            XCTAssertTrue(
                command.hasPrefix(
                    "::error file=02-threads.ipynb,line=\(lines[16]),title=nbrun%3A stale port%2C cell 17"), command)
            XCTAssertTrue(command.contains("nearest is 02-threads/flaky"), command)
        }
        let committed = try NotebookFile.decode(courseBytes)
        var fresh = committed
        fresh.cells[2].outputs = [.stream(name: "stdout", text: "something else\n")]
        let entries = try NotebookComparison.compare(
            expected: committed, actual: fresh, pairs: [(2, 2)], path: "02-threads.ipynb",
            registry: .course, rules: .empty)
        let entry = try XCTUnwrap(entries.first)
        let command = Annotation.differs(
            "02-threads.ipynb", entry, diff: entry.comparison.differences.joined(separator: "\n")
        )
        .command(sourceLines: CellSourceLines.lines(in: courseBytes))
        XCTAssertTrue(
            command.hasPrefix(
                "::error file=02-threads.ipynb,line=54,title=nbrun%3A outputs differ%2C cell 3 (id 18564342) [02-threads/raw-thread]::"
            ), command)
        XCTAssertTrue(command.contains("%0A  +something else"), command)
        XCTAssertFalse(command.dropFirst(2).contains("\n"))
    }
}
