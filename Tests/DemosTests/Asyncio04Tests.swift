import Demos
import Foundation
import Futures
import PythonRuntime
import TestKit
import XCTest

/// Runs the ports of `04-asyncio` and checks what they print against CPython 3.11's
/// reference outputs (the course's `reference/04-asyncio.cpython-3.11.ipynb`), embedded
/// below as literal lines, with measured numbers folded. Behaviour, not speed: timings
/// are compared only by shape here (`make bench` and `nbrun check` judge the figures).
final class Asyncio04Tests: XCTestCase, PortTests {
    static let demos = Asyncio04.demos

    // MARK: Registration

    func testEightDemosWithUniqueNamesAndFingerprints() {
        let demos = Asyncio04.demos
        XCTAssertEqual(
            demos.map(\.name),
            [
                "one-fetch", "gather", "create-task", "as-completed", "wait-for", "semaphore", "blocking", "many-waits",
            ])
        XCTAssertTrue(demos.allSatisfy { $0.notebook == "04-asyncio" && !$0.isCPUBound })
        XCTAssertEqual(Set(demos.map(\.fingerprint)).count, 8)
        for demo in demos {
            XCTAssertNotNil(demo.fingerprint.range(of: "^[0-9a-f]{16}$", options: .regularExpression), demo.name)
            XCTAssertEqual(demo.sketch.count % 8, 0, demo.name)
        }
        XCTAssertEqual(Catalog.demos.filter { $0.notebook == "04-asyncio" }.count, 8)
    }

    // MARK: The cells, against the reference

    /// The lesson: eight 0.3 s fetches gathered take one fetch's time, not eight (2.4 s).
    func testOneFetchAndGather() throws {
        XCTAssertEqual(folded(try run("one-fetch")), folded(["https://example.com -> 200 OK", "one fetch: 0.30s"]))
        let lines = try run("gather")
        XCTAssertEqual(folded(lines), folded(["8 fetched in 0.30s", "https://site/7 -> 200 OK"]))
        XCTAssertGreaterThanOrEqual(try timing(lines[0]), 0.3, "each fetch waits 0.3 s")
        XCTAssertLessThan(try timing(lines[0]), 1.2, "the eight waits overlap, not one after another")
    }

    /// CPython's order, every run: the task starts only when the cell awaits its sleep.
    /// Sixteen runs at once, each on its own thread with its own loop.
    func testCreateTaskPrintsCPythonsOrderEveryRun() throws {
        let reference = [
            "task created; this cell keeps going", "A starting", "did something else meanwhile", "A done", "result: A",
        ]
        let contexts = (0..<16).map { DemoContext(seed: UInt64($0)) }
        let failures = Locked(0)
        let done = DispatchGroup()
        for ctx in contexts {
            done.enter()
            Thread {
                do { try Self.demo("create-task").run(ctx) } catch { failures.withLock { $0 += 1 } }
                done.leave()
            }.start()
        }
        done.wait()
        XCTAssertEqual(failures.withLock { $0 }, 0)
        for (i, ctx) in contexts.enumerated() {
            XCTAssertEqual(lines(of: ctx, "create-task"), reference, "run \(i)")
        }
    }

    /// The draws come from the cell's generator in list order, so a seed fixes the order:
    /// the order of the draws. The seed used has draws at least 40 ms apart.
    func testAsCompletedYieldsInTheOrderOfTheSeededSleeps() throws {
        let reference = [7, 1, 6, 4, 5, 0, 3, 2].map { "https://site/\($0) done" }
        func draws(_ seed: UInt64) -> [Double] {
            let ctx = DemoContext(seed: seed)
            return (0..<8).map { _ in ctx.uniform(0.1, 0.6) }
        }
        let seed = try XCTUnwrap(
            (1...200).map(UInt64.init).first { seed in
                let sorted = draws(seed).sorted()
                return zip(sorted, sorted.dropFirst()).allSatisfy { $1 - $0 > 0.04 }
            })
        let sleeps = draws(seed)
        let expected = sleeps.indices.sorted { sleeps[$0] < sleeps[$1] }.map { "https://site/\($0) done" }
        let first = try run("as-completed", seed: seed)
        XCTAssertEqual(first, expected)
        XCTAssertEqual(first.sorted(), reference.sorted())
        XCTAssertEqual(try run("as-completed", seed: seed), first, "same seed, same order")
    }

    /// The lesson: `wait_for` gives up at its 0.5 s timeout, not when the 2 s sleep ends.
    func testWaitForGivesUp() throws {
        let lines = try run("wait-for")
        XCTAssertEqual(folded(lines), folded(["gave up after 0.5s"]))
        XCTAssertGreaterThanOrEqual(try timing(lines[0]), 0.5)
        XCTAssertLessThan(try timing(lines[0]), 1.0, "gave up at the timeout, not after the inner sleep")
    }

    /// The lesson: three at a time (the peak), so eight 0.2 s fetches take three waves, 0.6 s,
    /// not one (0.2 s, all at once); the waiters are served first come, first served (the
    /// look-alike's FIFO order is checked against CPython in AsyncIOLookalikeTests).
    func testSemaphorePeakIsThree() throws {
        let lines = try run("semaphore")
        XCTAssertEqual(lines.first, "peak concurrency: 3")
        XCTAssertEqual(folded(lines), folded(["peak concurrency: 3", "elapsed: 0.60s"]))
        XCTAssertGreaterThanOrEqual(try timing(lines[1]), 0.6, "three waves of 0.2 s")
    }

    /// Three 0.5 s sleeps that block the loop cannot take less than 1.5 s together.
    func testBlockingPitfallAndItsFix() throws {
        let lines = try run("blocking")
        XCTAssertEqual(folded(lines), folded(["time.sleep:        1.50s", "asyncio.to_thread: 0.50s"]))
        XCTAssertGreaterThanOrEqual(try timing(lines[0]), 1.5)
    }

    /// The port's 10,000 waits while it runs on a thread of its own: the process gains
    /// that thread, not one per wait.
    func testTenThousandWaitsKeepTheThreadCountSmall() throws {
        let before = osThreadCount()
        let ctx = DemoContext(seed: 1)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            try? Self.demo("many-waits").run(ctx)
            finished.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.25)  // the waits are all pending now (0.5 s each)
        let during = osThreadCount()
        finished.wait()
        XCTAssertLessThanOrEqual(during, before + 3, "threads before: \(before)")
        XCTAssertEqual(folded(lines(of: ctx, "many-waits")), folded(["10,000 concurrent waits: 0.67s"]))
    }
}
