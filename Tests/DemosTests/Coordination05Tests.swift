import Demos
import Foundation
import Futures
import PythonRuntime
import XCTest

/// Runs the ports of `05-coordination` as a kernel runs the notebook (in order, one context,
/// one session) and checks each cell against CPython 3.11's reference outputs (the course's
/// `reference/05-coordination.cpython-3.11.ipynb`, under nbclient 0.11 / ipykernel 7.4),
/// embedded below as literal lines; where the reference runs vary (which thread gives up at
/// the deadlock, the order runners wake in), every variant seen is accepted.
final class Coordination05Tests: XCTestCase, PortTests {
    static let demos = Coordination05.demos

    func testTenDemosSharingOneSession() {
        XCTAssertEqual(
            Self.demos.map(\.name),
            [
                "definitions", "same-order", "deadlock", "no-money-lost", "start-workers", "feed-workers",
                "stop-workers", "empty-queue", "start-runners", "release-runners",
            ])
        XCTAssertTrue(Self.demos.allSatisfy { $0.notebook == "05-coordination" && $0.session != nil })
        XCTAssertEqual(Set(Self.demos.map(\.fingerprint)).count, 10)
        XCTAssertEqual(Catalog.demos.filter { $0.notebook == "05-coordination" }.count, 10)
    }

    func testTheNotebookAsCPythonRunsIt() throws {
        let runs = try runSession(seed: 5)
        for (name, run) in runs { XCTAssertEqual(run.stderr, "", name) }
        XCTAssertEqual(runs["definitions"]?.stdout, [])
        XCTAssertNil(runs["definitions"]?.value)

        let same = try XCTUnwrap(runs["same-order"])
        XCTAssertEqual(same.stdout.sorted(), ["T1: 50 transfers done", "T2: 50 transfers done"])
        XCTAssertEqual(same.value, "{'a': 700, 'b': 1300}")

        // Reference: T1 gave up / T2: 50 transfers done / elapsed: 0.26s; across runs one
        // or both threads give up, in 0.20-0.26 s.
        let deadlock = try XCTUnwrap(runs["deadlock"])
        let gaveUp = deadlock.stdout.filter { $0.hasSuffix(": gave up waiting for the second lock") }
        let done = deadlock.stdout.filter { $0.hasSuffix(": 50 transfers done") }
        XCTAssertTrue((1...2).contains(gaveUp.count), "\(deadlock.stdout)")
        XCTAssertEqual(Set((gaveUp + done).map { $0.prefix(2) }), ["T1", "T2"], "one line per thread")
        XCTAssertEqual(gaveUp.count + done.count + 1, deadlock.stdout.count, "\(deadlock.stdout)")
        let elapsedLine = try XCTUnwrap(deadlock.stdout.last)
        XCTAssertEqual(folded([elapsedLine]), ["elapsed: <t>s"])
        let elapsed = try timing(elapsedLine)
        XCTAssertGreaterThanOrEqual(elapsed, 0.2, "the first to give up waited its 0.2 s")
        XCTAssertLessThanOrEqual(elapsed, 0.26 + 0.05, "within the check's absolute tolerance of 0.26 s")
        XCTAssertNil(deadlock.value)

        XCTAssertEqual(runs["no-money-lost"]?.value, "(2000, False, False)")
        XCTAssertEqual(runs["start-workers"]?.value, "['W0', 'W1', 'W2']", "alive after their cell")

        let feed = try XCTUnwrap(runs["feed-workers"])
        XCTAssertEqual(folded(feed.stdout), ["12 tasks in <t>s with 3 workers"])
        let fed = try timing(try XCTUnwrap(feed.stdout.first))
        XCTAssertTrue((0.2...0.3).contains(fed), "twelve 0.05 s tasks on three workers took \(fed) s")
        XCTAssertEqual(feed.value, "[0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121]")
        XCTAssertEqual(runs["stop-workers"]?.value, "[False, False, False]")

        let empty = try XCTUnwrap(runs["empty-queue"])
        XCTAssertEqual(empty.error, queue.Empty())
        XCTAssertGreaterThanOrEqual(empty.seconds, 0.1, "get(timeout=0.1) waited")
        XCTAssertNil(empty.value)

        let start = try XCTUnwrap(runs["start-runners"])
        XCTAssertEqual(start.stdout.sorted(), ["R0 at the start line", "R1 at the start line", "R2 at the start line"])
        XCTAssertEqual(start.value, "False")
        // The runners blocked in the previous cell print into this one.
        let release = try XCTUnwrap(runs["release-runners"])
        XCTAssertEqual(release.stdout.sorted(), ["R0 running", "R1 running", "R2 running"])
        XCTAssertEqual(release.value, "True")
    }
}
