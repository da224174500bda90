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
    func testCellsRunInOrderInOneInterpreterAndEndWithTheirValues() throws {
        let sources = ["a = 1", "time.sleep(0.05)\nb = 2", "{'a': a, 'b': b}"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "first") { ctx, s in
                s.log.append("first")
                s.interpreter = ctx.interpreter
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "second") { ctx, s in
                time.sleep(0.05)
                s.log.append(ctx.interpreter === s.interpreter ? "second, same interpreter" : "second, another")
                return .none
            },
            Fixture.sessionDemo(sources[2], name: "third") { ctx, s in
                s.log.append("third")
                ctx.print(s.log.joined(separator: "; "))
                return ["a": 1, "b": .tuple([2])]
            },
        ])
        // Three copies side by side, each with a session of its own.
        let plans = try (0..<3).map { copy in
            try Fixture.plan(
                Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry, path: "copy\(copy).ipynb")
        }
        for result in Engine.run(plans) {
            XCTAssertEqual(result.failures.count, 0)
            let cells = result.notebook.cells
            XCTAssertEqual(cells.map(\.executionCount), [.int(1), .int(2), .int(3)])
            XCTAssertEqual(cells[0].outputs ?? [], [])
            XCTAssertEqual(Fixture.streamLines(cells[2]), ["first; second, same interpreter; third"])
            let value = try XCTUnwrap(cells[2].outputs?.last)
            XCTAssertEqual(value.outputType, .executeResult)
            XCTAssertEqual(value.fields["execution_count"], .int(3))
            XCTAssertEqual(value.fields["data"]?.objectValue?["text/plain"], .string("{'a': 1, 'b': (2,)}"))
            // Each cell began after the previous one had ended.
            let stamps = try cells.map { cell in
                let execution = try XCTUnwrap(cell.metadata["execution"]?.objectValue)
                return (
                    try XCTUnwrap(execution["iopub.execute_input"]?.stringValue),
                    try XCTUnwrap(execution["shell.execute_reply"]?.stringValue)
                )
            }
            for (previous, next) in zip(stamps, stamps.dropFirst()) {
                XCTAssertLessThanOrEqual(previous.1, next.0)
            }
        }
    }

    func testAThreadOutlivesItsCellAndPrintsIntoTheCellRunningThen() throws {
        let sources = ["t = threading.Thread(target=runner)\nt.start()", "ready.set()\nt.join()", "t.is_alive()"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "start") { ctx, s in
                let thread = threading.Thread(name: "R0") {
                    ctx.print("R0 at the start line")
                    _ = s.event.wait()
                    ctx.print("R0 running")
                }
                s.threads = [thread]
                thread.start()
                time.sleep(0.05)
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "release") { _, s in
                s.event.set()
                for thread in s.threads { thread.join() }
                return .none
            },
            Fixture.sessionDemo(sources[2], name: "alive") { _, s in
                .bool(s.threads[0].isAlive)
            },
        ])
        let plan = try Fixture.plan(Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry)
        let result = Engine.run([plan])[0]
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[0]), ["R0 at the start line"])
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[1]), ["R0 running"])
        XCTAssertEqual(
            result.notebook.cells[2].outputs?.first?.fields["data"]?.objectValue?["text/plain"], .string("False"))
        XCTAssertEqual(result.lingeringThreads, [])
    }

    func testThreadsStillRunningAfterTheLastCellAreNamedAndNotWaitedFor() throws {
        let sources = ["w = threading.Thread(target=wait, name='Waiter')\nw.start()", "1 + 1"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "start") { _, s in
                let waiter = threading.Thread(name: "Waiter") { _ = s.event.wait(timeout: 2) }
                s.threads = [waiter]
                waiter.start()
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "value") { _, _ in 2 },
        ])
        let plan = try Fixture.plan(Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry)
        let began = Date()
        let result = Engine.run([plan])[0]
        XCTAssertLessThan(Date().timeIntervalSince(began), 1.5, "the waiting thread is not waited for")
        XCTAssertEqual(result.lingeringThreads, ["Waiter (started in cell 1)"])
        XCTAssertEqual(
            result.notebook.cells[1].outputs?.first?.fields["data"]?.objectValue?["text/plain"], .string("2"))
    }

    func testATimeoutAbandonsTheRestOfTheNotebook() throws {
        let sources = ["time.sleep(5)", "print('after')"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "slow") { ctx, _ in
                ctx.print("started")
                time.sleep(5.0)
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "after") { ctx, _ in
                ctx.print("after")
                return .none
            },
        ])
        let plan = try Fixture.plan(Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry)
        var options = EngineOptions()
        options.timeout = 0.2
        let began = Date()
        let result = Engine.run([plan], options: options)[0]
        XCTAssertLessThan(Date().timeIntervalSince(began), 4, "the overrunning cell is abandoned")
        XCTAssertEqual(result.failures.map { $0.cellsNotRun }, [1])
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[0]), ["started"])
        XCTAssertNil(result.notebook.cells[1].outputs?.first, "the later cell was not run")
    }
}
