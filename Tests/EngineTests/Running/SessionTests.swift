import Engine
import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import TestKit
import XCTest

/// Notebooks written step by step: cells sharing a session run in document order, one after
/// the other, in one interpreter; threads outlive their cell; values become `Out[n]`; an
/// untagged error stops the notebook.
final class SessionTests: XCTestCase {
    func testAnUntaggedErrorStopsTheNotebookAndATaggedOneDoesNot() throws {
        let sources = ["x = 1", "tasks.get(timeout=0.1)", "print(x)"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "define") { _, s in
                s.log = ["x"]
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "raise") { ctx, _ in
                ctx.print("before")
                throw queue.Empty()
            },
            Fixture.sessionDemo(sources[2], name: "use") { ctx, s in
                ctx.print(s.log.joined())
                return .none
            },
        ])
        var stale = Fixture.codeCell(sources[2], id: "stale")
        stale.outputs = [.stream(name: "stdout", text: "from an earlier run\n")]
        stale.executionCount = .int(7)
        let untagged = Fixture.notebook([Fixture.codeCell(sources[0]), Fixture.codeCell(sources[1]), stale])
        let stopped = Engine.run([try Fixture.plan(untagged, registry)])[0]
        XCTAssertEqual(stopped.failures.count, 1)
        let failure = try XCTUnwrap(stopped.failures.first)
        XCTAssertEqual(failure.cell.position, 2)
        XCTAssertEqual(failure.cellsNotRun, 1)
        XCTAssertTrue(failure.description.contains("cell 2 (raise) raised Empty: "), failure.description)
        XCTAssertTrue(failure.description.contains("1 later cell was not run"), failure.description)
        XCTAssertEqual(stopped.notebook.cells[2], stale, "a cell not run keeps what it had")
        let error = try XCTUnwrap(stopped.notebook.cells[1].outputs?.last)
        XCTAssertEqual(error.fields["ename"], .string("Empty"))
        XCTAssertEqual(error.fields["evalue"], .string(""))
        let traceback = error.fields["traceback"]?.arrayValue?.compactMap(\.stringValue) ?? []
        XCTAssertEqual(
            traceback.dropFirst(2).first,
            "\u{1B}[36mCell\u{1B}[39m\u{1B}[36m \u{1B}[39m\u{1B}[32mIn[2]\u{1B}[39m\u{1B}[32m, line 1\u{1B}[39m\n"
                + "\u{1B}[32m----> \u{1B}[39m\u{1B}[32m1\u{1B}[39m tasks.get(timeout=0.1)\n")
        XCTAssertEqual(traceback.last, "\u{1B}[31mEmpty\u{1B}[39m: ")

        var tagged = untagged
        tagged.cells[1] = Fixture.codeCell(sources[1], tags: ["no-run", "raises-exception"])
        let goesOn = Engine.run([try Fixture.plan(tagged, registry)])[0]
        XCTAssertEqual(goesOn.failures.count, 0)
        XCTAssertEqual(goesOn.notebook.cells[1].outputs?.map(\.outputType), [.stream, .error])
        XCTAssertEqual(Fixture.streamLines(goesOn.notebook.cells[2]), ["x"])
        XCTAssertEqual(goesOn.notebook.cells[2].executionCount, .int(3))
    }

    /// Values and displays are written as nbformat writes them: the real nbformat reads the
    /// notebook and writes back the very same bytes.
    func testValuesAndDisplaysAreWrittenAsNbformatWritesThem() throws {
        let source = "display(HTML(...)); display(Image(...))\n['W0', 'W1']"
        let registry = DemoRegistry([
            Fixture.sessionDemo(source, name: "rich") { ctx, _ in
                ctx.print("text first")
                ctx.display(DisplayData(plain: "<IPython.core.display.HTML object>", html: "<b>hi</b>\n<i>x</i>"))
                ctx.display(
                    DisplayData(
                        plain: "<IPython.core.display.Image object>", markdown: "# T", svg: "<svg>\n</svg>",
                        png: [0x89, 0x50, 0x4E, 0x47]))
                return ["W0", "W1"]
            }
        ])
        let result = Engine.run([try Fixture.plan(Fixture.notebook([Fixture.codeCell(source)]), registry)])[0]
        let outputs = result.notebook.cells[0].outputs ?? []
        XCTAssertEqual(outputs.map(\.outputType), [.stream, .displayData, .displayData, .executeResult])
        XCTAssertEqual(outputs[2].fields["data"]?.objectValue?["image/png"], .string("iVBORw=="))
        let bytes = result.notebook.canonicalBytes()
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let script = """
            import sys
            try:
                import nbformat
            except ImportError:
                print('no nbformat'); sys.exit(0)
            text = bytes.fromhex('\(hex)').decode()
            nb = nbformat.reads(text, as_version=4)
            print('same' if nbformat.writes(nb) + '\\n' == text else 'differs')
            """
        let verdict = try PythonReference.run(script).trimmingCharacters(in: .whitespacesAndNewlines)
        if verdict == "no nbformat" { throw XCTSkip("nbformat is not installed (make pyenv)") }
        XCTAssertEqual(verdict, "same", String(decoding: bytes, as: UTF8.self))
    }
}
