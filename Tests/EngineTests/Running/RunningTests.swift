import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import TestKit
import XCTest

@testable import Engine

final class RunningTests: XCTestCase {
    func testThrowingCellGetsAnErrorOutputAfterWhatItPrinted() throws {
        let source = "raise ValueError('bad')"
        let registry = DemoRegistry([
            Fixture.demo(source, name: "raiser") { ctx in
                ctx.print("before")
                throw builtins.ValueError("bad input 3")
            }
        ])
        let result = Engine.run([try Fixture.plan(Fixture.notebook([Fixture.codeCell(source)]), registry)])[0]
        XCTAssertEqual(result.failures.count, 1)
        XCTAssertTrue(result.failures[0].description.contains("cell 1"))
        XCTAssertTrue(result.failures[0].description.contains("ValueError: bad input 3"))
        let outputs = result.notebook.cells[0].outputs ?? []
        XCTAssertEqual(outputs.map(\.outputType), [.stream, .error])
        XCTAssertEqual(outputs[1].fields["ename"], .string("ValueError"))
        XCTAssertEqual(outputs[1].fields["evalue"], .string("bad input 3"))
        XCTAssertEqual(
            outputs[1].fields["traceback"]?.arrayValue?.last?.stringValue?.hasSuffix(
                "ValueError\u{1B}[39m: bad input 3"), true)
        XCTAssertEqual(result.notebook.cells[0].executionCount, .int(1))
    }

    func testSeveralNotebooksShareOnePool() throws {
        let (notebook, registry) = Fixture.meeting(count: 3, notebooks: 5)
        let plans = try (0..<5).map { try Fixture.plan(notebook, registry, path: "copy\($0).ipynb") }
        let results = Engine.run(plans)
        XCTAssertEqual(results.map(\.path), (0..<5).map { "copy\($0).ipynb" })
        XCTAssertTrue(results.allSatisfy { $0.notebook.cells[1].executionCount == .int(1) })
        let lines = results.flatMap { $0.notebook.cells.dropFirst().map { Fixture.streamLines($0) } }
        XCTAssertEqual(
            lines, Array(repeating: ["met"], count: 15), "all 15 cells of the 5 notebooks were running at once")
    }

    func testSeedGivesEachCellTheSameDrawsOnEveryRun() throws {
        let source = "random.random()"
        let registry = DemoRegistry([
            Fixture.demo(source, name: "draw") { ctx in
                ctx.print((0..<3).map { _ in String(ctx.uniform(0.1, 0.6)) }.joined(separator: " "))
            }
        ])
        let plan = try Fixture.plan(Fixture.notebook([Fixture.codeCell(source)]), registry)
        let draws = { (seed: UInt64?) in
            Fixture.streamLines(Engine.run([plan], options: EngineOptions(seed: seed))[0].notebook.cells[0])
        }
        XCTAssertEqual(draws(7), draws(7))
        XCTAssertNotEqual(draws(7), draws(8))
        XCTAssertNotEqual(draws(nil), draws(nil))
    }

    func testOneCoreCellsRunBesideTheTimingSensitiveOnes() throws {
        // The sleeper waits for the one-core cell: it only sees it if they run side by side.
        let oneCoreDone = Rendezvous(parties: 1)
        let spin = "spin()", sleeper = "sleep(0.2)"
        let fingerprint = SourceFingerprint(source: spin)
        let demos = [
            Demo(notebook: "fixture", name: spin, fingerprint: fingerprint.digest, load: .oneCore) {
                _ in
                oneCoreDone.signal()
            },
            Fixture.demo(sleeper, name: "sleeper") { ctx in
                ctx.print(oneCoreDone.wait() ? "beside" : "after")
            },
        ]
        let notebook = Fixture.notebook([Fixture.codeCell(spin), Fixture.codeCell(sleeper)])
        let result = Engine.run([try Fixture.plan(notebook, DemoRegistry(demos))])[0]
        XCTAssertTrue(result.failures.isEmpty)
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[1]), ["beside"])
    }

    func testLongestRecordedCellsAreSubmittedFirstExceptUnderJobsOne() throws {
        func recorded(_ source: String, seconds: Int?) -> Cell {
            var cell = Fixture.codeCell(source)
            if let seconds {
                cell.metadata["execution"] = .object(
                    JSONObject([
                        ("iopub.execute_input", .string("2026-11-24T17:39:05.000000Z")),
                        ("shell.execute_reply", .string("2026-11-24T17:39:0\(5 + seconds).250000Z")),
                    ]))
            }
            return cell
        }
        let sources = ["short()", "long()", "unknown()", "middle()"]
        let registry = DemoRegistry(sources.map { source in Fixture.demo(source, name: source) { _ in } })
        let notebook = Fixture.notebook([
            recorded("short()", seconds: 0), recorded("long()", seconds: 3),
            recorded("unknown()", seconds: nil), recorded("middle()", seconds: 1),
        ])
        let plan = try Fixture.plan(notebook, registry)
        let names = { (jobs: Int?) in Engine.submissionOrder([plan], jobs: jobs).map { plan.steps[$0.1].demo.name } }
        XCTAssertEqual(names(nil), ["unknown()", "long()", "middle()", "short()"])
        XCTAssertEqual(names(2), ["unknown()", "long()", "middle()", "short()"])
        XCTAssertEqual(names(1), ["short()", "long()", "unknown()", "middle()"], "--jobs 1 keeps document order")
    }
}
