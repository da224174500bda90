import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// The engine's side of timelines: a cell tagged `nbrun-timeline` gets its picture as its
/// last output; `recordTimelines` records every cell; untagged cells get nothing.
final class TimelineEngineTests: XCTestCase {
    private func fixture() -> (Notebook, DemoRegistry) {
        let sleepers = Fixture.demo("sleepers()", name: "sleepers") { ctx in
            let threads = (0..<2).map { _ in threading.Thread { time.sleep(0.05) } }
            for t in threads { t.start() }
            for t in threads { t.join() }
            ctx.print("done")
        }
        let plain = Fixture.demo("plain()", name: "plain") { ctx in ctx.print("plain") }
        let notebook = Fixture.notebook([
            Fixture.codeCell("sleepers()", tags: ["no-run", timelineTag]),
            Fixture.codeCell("plain()"),
        ])
        return (notebook, DemoRegistry([sleepers, plain]))
    }

    func testATaggedCellEndsWithItsTimeline() throws {
        let (notebook, registry) = fixture()
        let result = Engine.run([try Fixture.plan(notebook, registry)])[0]
        XCTAssertTrue(result.failures.isEmpty)
        let outputs = try XCTUnwrap(result.notebook.cells[0].outputs)
        XCTAssertEqual(outputs.map(\.outputType), [.stream, .displayData])
        let data = try XCTUnwrap(outputs[1].fields["data"]?.objectValue)
        let plain = try XCTUnwrap(data["text/plain"]?.stringValue)
        XCTAssertTrue(plain.hasPrefix("<timeline: 3 threads, "), plain)
        let svg = try XCTUnwrap(data["image/svg+xml"]?.stringValue)
        XCTAssertTrue(svg.hasPrefix("<svg "), svg)
        XCTAssertEqual(result.notebook.cells[1].outputs?.map(\.outputType), [.stream])
        // Only the tagged cell was recorded.
        XCTAssertEqual(Array(result.timelines.keys), ["sleepers"])
        let timeline = try XCTUnwrap(result.timelines["sleepers"])
        XCTAssertEqual(timeline.rows.map(\.name), ["MainThread", "Thread-1", "Thread-2"])
        XCTAssertEqual(timeline.row("Thread-1")?.seconds(in: .sleep) ?? 0, 0.05, accuracy: 0.03)
    }

    func testRecordTimelinesRecordsEveryCellAndShowsOnlyTaggedOnes() throws {
        let (notebook, registry) = fixture()
        var options = EngineOptions()
        options.recordTimelines = true
        let result = Engine.run([try Fixture.plan(notebook, registry)], options: options)[0]
        XCTAssertEqual(Set(result.timelines.keys), ["sleepers", "plain"])
        XCTAssertEqual(result.notebook.cells[1].outputs?.map(\.outputType), [.stream])
    }
}
