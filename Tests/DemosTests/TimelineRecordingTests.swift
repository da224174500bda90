import Demos
import Foundation
import PythonRuntime
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The states the timeline records for three of the course's cells, as data, before any
/// drawing: the GIL passed between four burning threads, three threads asleep side by side,
/// asyncio tasks three at a time under a semaphore.
final class TimelineRecordingTests: XCTestCase {
    private func record(_ id: String) throws -> (Timeline, String) {
        let demo = try XCTUnwrap(Catalog.demos.first { $0.id == id }, id)
        let ctx = DemoContext(seed: 1, recordingTimeline: true)
        try demo.run(ctx)
        let recorder = try XCTUnwrap(ctx.interpreter.timeline)
        let timeline = recorder.timeline()
        let svg = TimelineSVG(title: demo.id).render(timeline)
        return (timeline, svg)
    }

    func testNoRecorderUnlessAsked() {
        XCTAssertNil(DemoContext(seed: 1).interpreter.timeline)
    }

    func testBurnThreadsTakeTurnsOnTheGIL() throws {
        let (timeline, _) = try record("03-processes/burn")
        let workers = timeline.rows.filter { $0.name.hasPrefix("ThreadPoolExecutor") }
        XCTAssertEqual(workers.count, 4, timeline.rows.map(\.name).description)
        for row in workers {
            let gilWait = row.seconds(in: .gilWait)
            let running = row.seconds(in: .running)
            // Four threads share one GIL: each runs about a quarter of its time, waits the rest.
            XCTAssertGreaterThan(
                gilWait / (gilWait + running), 0.6, "\(row.name): \(gilWait) s waiting, \(running) s running")
            XCTAssertLessThan(gilWait / (gilWait + running), 0.9, row.name)
            // Turns of about the switch interval: 0.25 s of work in some 40 turns of ~5 ms.
            let turns = row.segments.filter { $0.state == .running }
            XCTAssertGreaterThan(turns.count, 20, row.name)
            let median = turns.map(\.seconds).sorted()[turns.count / 2]
            XCTAssertGreaterThan(median, 0.002, row.name)
            XCTAssertLessThan(median, 0.02, row.name)
        }
        // MainThread ran the sequential half alone, then waited on the pool's futures.
        let main = try XCTUnwrap(timeline.row("MainThread"))
        XCTAssertGreaterThan(main.seconds(in: .running), 0.8)
        XCTAssertGreaterThan(main.seconds(in: .future) + main.seconds(in: .join), 0.7)
    }

    func testThreeThreadsSleepSideBySide() throws {
        let (timeline, _) = try record("02-threads/three-threads")
        // The port's threads are named as `threading.Thread(target=worker)` names them.
        let workers = ["Thread-1 (worker)", "Thread-2 (worker)", "Thread-3 (worker)"]
        XCTAssertEqual(timeline.rows.map(\.name), ["MainThread"] + workers)
        for name in workers {
            let row = try XCTUnwrap(timeline.row(name))
            let sleep = try XCTUnwrap(row.segments.first { $0.state == .sleep }, "\(name): \(row.segments)")
            XCTAssertEqual(sleep.seconds, 0.5, accuracy: 0.1, name)
            XCTAssertLessThan(sleep.start, 0.1, name)  // all three asleep at once, not one after another
        }
        let main = try XCTUnwrap(timeline.row("MainThread"))
        XCTAssertGreaterThan(main.seconds(in: .join), 0.4)
    }

    func testSemaphoreLetsThreeTasksSleepAtATime() throws {
        let (timeline, _) = try record("04-asyncio/semaphore")
        let tasks = timeline.rows.filter { $0.kind == .task && $0.name != "Task-1" }
        XCTAssertGreaterThanOrEqual(tasks.count, 6, timeline.rows.map(\.name).description)
        let sleeps = tasks.flatMap { $0.segments.filter { $0.state == .sleep } }
        XCTAssertEqual(sleeps.count, tasks.count)
        // At no moment are more than three tasks asleep inside the semaphore, and at some, three are.
        let probes = stride(from: 0.0, to: timeline.seconds, by: 0.01)
        let asleep = probes.map { t in sleeps.count { $0.start <= t && t < $0.end } }
        XCTAssertEqual(asleep.max(), 3)
        let waiting = tasks.map { $0.seconds(in: .semaphore) }
        XCTAssertGreaterThan(waiting.max() ?? 0, 0.15)  // the later ones waited for a permit
    }

    /// Worker processes are rows named as Python names them (a `concurrent.futures.ProcessPoolExecutor`'s are
    /// `ForkProcess-N` on Linux), with the pid in the row's tooltip.
    func testWorkerProcessesAreRowsNamedAsPythonNamesThem() throws {
        ProcessWorker.defaultExecutable = try NBRunWorker.require()
        let (timeline, svg) = try record("03-processes/two-processes")
        let processes = timeline.rows.filter { $0.kind == .process }
        XCTAssertEqual(processes.count, 2, timeline.rows.map(\.name).description)
        for row in processes {
            XCTAssertTrue(row.name.range(of: #"^ForkProcess-\d+$"#, options: .regularExpression) != nil, row.name)
            let pid = try XCTUnwrap(row.pid, row.name)
            XCTAssertTrue(svg.contains("<title>\(row.name) (pid \(pid)): "), svg)
            XCTAssertGreaterThan(row.seconds(in: .outsideGIL), 0.4, row.name)  // two 0.25 s burns each
        }
        XCTAssertGreaterThan(timeline.row("MainThread")?.seconds(in: .future) ?? 0, 0.4)
    }

    /// The busiest cells: the GIL passed hundreds of times, 400,000 lock acquisitions, 10,000
    /// tasks. Each picture parses as XML and stays in tens of kilobytes.
    func testSVGIsXMLAndSmall() throws {
        for id in ["03-processes/burn", "02-threads/lock", "04-asyncio/many-waits"] {
            let (timeline, svg) = try record(id)
            XCTAssertTrue(svg.contains("<title>\(id): "), id)
            let summary = timeline.summary.replacingOccurrences(of: "<", with: "&lt;")
            XCTAssertTrue(svg.contains(summary.replacingOccurrences(of: ">", with: "&gt;")), id)
            let parser = XMLParser(data: Data(svg.utf8))
            XCTAssertTrue(parser.parse(), "\(id): \(parser.parserError.map { "\($0)" } ?? "")")
            XCTAssertLessThan(svg.utf8.count, 60_000, id)
        }
    }

    /// Ticks are labelled in the unit that suits the span: a 0.4 ms cell is not
    /// `0.000 0.000 0.000 0.001`.
    func testTicksAreLabelledInAUnitThatSuitsTheSpan() {
        func labels(_ seconds: Double) -> (unit: String, ticks: [String]) {
            let row = Timeline.Row(
                name: "MainThread", kind: .thread, segments: [.init(start: 0, end: seconds, state: .running)])
            let svg = TimelineSVG(title: "t").render(Timeline(rows: [row], seconds: seconds))
            let texts = svg.components(separatedBy: "text-anchor=\"middle\" fill=\"#444\">").dropFirst()
                .map { String($0.prefix { $0 != "<" }) }
            let unit = svg.components(separatedBy: "text-anchor=\"end\" fill=\"#444\">").last?.prefix { $0 != "<" }
            return (unit.map(String.init) ?? "", texts)
        }
        XCTAssertEqual(labels(2.5).unit, "seconds")
        XCTAssertEqual(labels(2.5).ticks.prefix(3), ["0.0", "0.5", "1.0"])
        XCTAssertEqual(labels(0.4).unit, "ms")
        XCTAssertEqual(labels(0.4).ticks.prefix(3), ["0", "50", "100"])
        XCTAssertEqual(labels(0.0004).unit, "µs")
        XCTAssertEqual(labels(0.0004).ticks.prefix(3), ["0", "50", "100"])
        XCTAssertEqual(labels(0.003).unit, "ms")
        XCTAssertEqual(labels(0.003).ticks.prefix(3), ["0.0", "0.5", "1.0"])
        XCTAssertEqual(Set(labels(0.0004).ticks).count, labels(0.0004).ticks.count, "no two ticks read the same")
    }

    /// A row is drawn one rectangle per run of equal pixel columns, however many segments.
    func testSegmentsShorterThanAPixelMerge() {
        let flicker = (0..<10_000).map { (i: Int) -> Timeline.Segment in
            let state: ThreadState = i % 4 == 0 ? .running : .gilWait
            return Timeline.Segment(start: Double(i) * 1e-4, end: Double(i + 1) * 1e-4, state: state)
        }
        let row = Timeline.Row(name: "T", kind: .thread, segments: flicker)
        let svg = TimelineSVG(title: "flicker").render(Timeline(rows: [row], seconds: 1))
        XCTAssertEqual(row.seconds(in: .running), 0.25, accuracy: 1e-6)
        XCTAssertLessThan(svg.utf8.count, 5_000)
        XCTAssertTrue(svg.contains("GIL wait 75% · run 25%"), svg)
    }
}
