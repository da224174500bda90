import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import TestKit
import XCTest

@testable import Engine

final class RunningTests: XCTestCase {
    /// Three cells that each sleep, print from several threads, and say who they are.
    func makeSleepers(count: Int, sleep: Double) -> (Notebook, DemoRegistry) {
        var cells: [Cell] = [Cell(type: .markdown, source: "intro")]
        var demos: [Demo] = []
        for index in 0..<count {
            let source = "sleeper(\(index))"
            cells.append(Fixture.codeCell(source))
            demos.append(
                Fixture.demo(source, name: "sleeper-\(index)") { ctx in
                    let group = DispatchGroup()
                    for thread in 0..<4 {
                        group.enter()
                        Thread {
                            for line in 0..<50 { ctx.print("cell \(index) thread \(thread) line \(line)") }
                            group.leave()
                        }.start()
                    }
                    Thread.sleep(forTimeInterval: sleep)
                    group.wait()
                    ctx.printError("cell \(index) warns")
                })
        }
        return (Fixture.notebook(cells), DemoRegistry(demos))
    }

    func testEachCellCapturesOnlyItsOwnWholeLinesUnderConcurrency() throws {
        let (notebook, registry) = makeSleepers(count: 6, sleep: 0.05)
        let result = Engine.run([try Fixture.plan(notebook, registry)])[0]
        XCTAssertTrue(result.failures.isEmpty)
        for index in 0..<6 {
            let cell = result.notebook.cells[index + 1]
            let lines = Fixture.streamLines(cell)
            XCTAssertEqual(lines.count, 200)
            XCTAssertTrue(
                lines.allSatisfy { $0.hasPrefix("cell \(index) thread ") }, "cell \(index) got another cell's output")
            for thread in 0..<4 {  // each thread's lines keep their order
                let own = lines.filter { $0.hasPrefix("cell \(index) thread \(thread) ") }
                XCTAssertEqual(own, (0..<50).map { "cell \(index) thread \(thread) line \($0)" })
            }
            XCTAssertEqual(Fixture.streamLines(cell, "stderr"), ["cell \(index) warns"])
            XCTAssertEqual(
                cell.outputs?.map { $0.stream?.name }, ["stdout", "stderr"], "one output per run of a stream")
            XCTAssertEqual(cell.outputs?.first?.stream?.text.hasSuffix("\n"), true)
        }
    }

    func testExecutionCountsFollowDocumentOrderAndOtherCellsAreUntouched() throws {
        let (sleepers, registry) = makeSleepers(count: 3, sleep: 0.01)
        var cells = sleepers.cells
        var untagged = Fixture.codeCell("x = 1", tags: [])
        untagged.executionCount = .int(41)
        untagged.outputs = [.stream(name: "stdout", text: "kept\n")]
        untagged.metadata["custom"] = .bool(true)
        cells.insert(untagged, at: 2)
        let result = Engine.run([try Fixture.plan(Fixture.notebook(cells), registry)])[0]
        let counts = result.notebook.cells.map { $0.executionCount }
        XCTAssertEqual(counts, [nil, .int(1), .int(41), .int(2), .int(3)])
        var expectedUntagged = untagged
        expectedUntagged.id = result.notebook.cells[2].id  // ids are added to a 4.5 notebook
        XCTAssertEqual(result.notebook.cells[2], expectedUntagged)
        XCTAssertEqual(result.notebook.cells[0].source, "intro")
    }

    func testTimingMetadataHasNbclientsFourStampsInOrderAndKeepsTags() throws {
        let (notebook, registry) = makeSleepers(count: 2, sleep: 0.05)
        let result = Engine.run([try Fixture.plan(notebook, registry)])[0]
        let pattern = try NSRegularExpression(pattern: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#)
        for cell in result.notebook.cells.dropFirst() {
            XCTAssertEqual(cell.tags, ["no-run"])
            guard case .object(let execution)? = cell.metadata["execution"] else {
                return XCTFail("no execution metadata")
            }
            let keys = ["iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle"]
            XCTAssertEqual(Set(execution.keys), Set(keys))
            let stamps = keys.compactMap { execution[$0]?.stringValue }
            XCTAssertEqual(stamps.count, 4)
            for stamp in stamps {
                XCTAssertEqual(
                    pattern.numberOfMatches(in: stamp, range: NSRange(stamp.startIndex..., in: stamp)), 1, stamp)
            }
            XCTAssertEqual(stamps, stamps.sorted(), "busy <= execute_input <= execute_reply <= idle")
            // Measured around the real run: the cell sleeps 50 ms.
            XCTAssertGreaterThanOrEqual(try Self.seconds(between: stamps[1], and: stamps[2]), 0.045)
        }
    }

    func testCellsRunSideBySideByDefaultAndOneAtATimeWithJobsOne() throws {
        let (notebook, registry) = Fixture.meeting(count: 4)
        let parallel = Engine.run([try Fixture.plan(notebook, registry)])[0]
        XCTAssertEqual(
            parallel.notebook.cells.dropFirst().map { Fixture.streamLines($0) }, Array(repeating: ["met"], count: 4),
            "all four cells were running at once")

        let (sleepers, sleeperRegistry) = makeSleepers(count: 4, sleep: 0.05)
        let serial = Engine.run([try Fixture.plan(sleepers, sleeperRegistry)], options: EngineOptions(jobs: 1))[0]
        // With one job, each cell starts after the previous one replied.
        let stamps = serial.notebook.cells.dropFirst().compactMap { cell -> (String, String)? in
            guard case .object(let execution)? = cell.metadata["execution"],
                let input = execution["iopub.execute_input"]?.stringValue,
                let reply = execution["shell.execute_reply"]?.stringValue
            else { return nil }
            return (input, reply)
        }
        XCTAssertEqual(stamps.count, 4)
        for (previous, next) in zip(stamps, stamps.dropFirst()) {
            XCTAssertLessThanOrEqual(previous.1, next.0)
        }
    }

    func testTimeoutAbandonsTheOverrunningCellWithoutWaitingForIt() throws {
        let slow = "time.sleep(30)", quick = "print('quick')"
        let release = Rendezvous(parties: 1), slowFinished = Locked(false)
        let registry = DemoRegistry([
            Fixture.demo(slow, name: "slow") { ctx in
                ctx.print("started")
                _ = release.wait()  // until the test has seen the run end
                slowFinished.withLock { $0 = true }
                ctx.print("too late")
            },
            Fixture.demo(quick, name: "quick") { $0.print("quick") },
        ])
        let notebook = Fixture.notebook([Fixture.codeCell(slow), Fixture.codeCell(quick)])
        let result = Engine.run([try Fixture.plan(notebook, registry)], options: EngineOptions(jobs: 1, timeout: 0.2))[
            0]
        XCTAssertFalse(slowFinished.withLock { $0 }, "the run ended while the overrunning cell still ran")
        release.signal()
        XCTAssertEqual(result.failures.map(\.isTimedOut), [true])
        let outputs = result.notebook.cells[0].outputs ?? []
        XCTAssertEqual(outputs.first?.stream?.text, "started\n")
        XCTAssertEqual(outputs.last?.fields["ename"], .string("TimeoutError"))
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[1]), ["quick"], "the next cell still ran")
    }

    func testCPUBoundCellsTakeTurnsAloneAfterTheOthers() throws {
        let busy = Locked(0), peak = Locked(0)
        let events = Locked<[String]>([])
        var demos: [Demo] = []
        var cells: [Cell] = []
        for index in 0..<3 {
            let source = "spin(\(index))"
            cells.append(Fixture.codeCell(source))
            let fingerprint = SourceFingerprint(source: source)
            demos.append(
                Demo(notebook: "fixture", name: source, fingerprint: fingerprint.digest, load: .allCores) { _ in
                    events.withLock { $0.append("cpu start") }
                    busy.withLock { count in
                        count += 1
                        let now = count
                        peak.withLock { $0 = max($0, now) }
                    }
                    Thread.sleep(forTimeInterval: 0.05)
                    busy.withLock { $0 -= 1 }
                })
        }
        let sleeper = "sleep(0.2)"
        cells.append(Fixture.codeCell(sleeper))
        demos.append(
            Fixture.demo(sleeper, name: "sleeper") { _ in
                Thread.sleep(forTimeInterval: 0.2)
                events.withLock { $0.append("sleeper done") }
            })
        let result = Engine.run([try Fixture.plan(Fixture.notebook(cells), DemoRegistry(demos))])[0]
        XCTAssertTrue(result.failures.isEmpty)
        XCTAssertEqual(peak.withLock { $0 }, 1, "CPU-bound cells never run at the same time")
        XCTAssertEqual(
            events.withLock { $0 }, ["sleeper done", "cpu start", "cpu start", "cpu start"],
            "CPU-bound cells start once the timing-sensitive cell is done")
    }

    static func seconds(between first: String, and second: String) throws -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trim = { (stamp: String) in String(stamp.dropLast(4)) + "Z" }  // the formatter takes milliseconds
        let a = try XCTUnwrap(formatter.date(from: trim(first)))
        let b = try XCTUnwrap(formatter.date(from: trim(second)))
        return b.timeIntervalSince(a)
    }
}

extension RunResult.CellFailure {
    var isTimedOut: Bool {
        if case .timedOut = failure { return true }
        return false
    }
}
