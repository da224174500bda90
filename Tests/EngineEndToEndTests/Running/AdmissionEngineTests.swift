import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import XCTest

@testable import Engine

/// The engine under the policy: every cell runs exactly once, CPU-bound cells alone,
/// `--jobs` still caps, and a batch's executors reuse threads.
final class AdmissionEngineTests: XCTestCase {
    /// Counts the cells running at once, by kind, and what overlapped.
    final class Overlap: Sendable {
        private let state = Locked<
            (shared: Int, exclusive: Int, peakShared: Int, peakAll: Int, overlaps: Int, runs: [String: Int])
        >(
            (0, 0, 0, 0, 0, [:]))

        func during(_ name: String, exclusive: Bool, _ body: () -> Void) {
            state.withLock { s in
                if exclusive { s.exclusive += 1 } else { s.shared += 1 }
                if s.exclusive > 1 || (s.exclusive > 0 && s.shared > 0) { s.overlaps += 1 }
                s.peakShared = max(s.peakShared, s.shared)
                s.peakAll = max(s.peakAll, s.shared + s.exclusive)
                s.runs[name, default: 0] += 1
            }
            body()
            state.withLock { s in if exclusive { s.exclusive -= 1 } else { s.shared -= 1 } }
        }

        var overlaps: Int { state.withLock { $0.overlaps } }
        var peakShared: Int { state.withLock { $0.peakShared } }
        var peakAll: Int { state.withLock { $0.peakAll } }
        var runs: [String: Int] { state.withLock { $0.runs } }
    }

    /// A notebook of `sleepers` timing-sensitive cells and `spinners` CPU-bound ones.
    private func mixed(sleepers: Int, spinners: Int, meter: Overlap) -> (Notebook, DemoRegistry) {
        var cells: [Cell] = [], demos: [Demo] = []
        for index in 0..<(sleepers + spinners) {
            let cpuBound = index >= sleepers
            let source = cpuBound ? "spin(\(index))" : "sleep(\(index))"
            let fingerprint = SourceFingerprint(source: source)
            cells.append(Fixture.codeCell(source))
            demos.append(
                Demo(
                    notebook: "fixture", name: source, fingerprint: fingerprint.digest,
                    load: cpuBound ? .allCores : .timingSensitive
                ) { ctx in
                    meter.during(source, exclusive: cpuBound) {
                        if cpuBound {
                            var x = 0
                            for i in 0..<20_000 { x &+= i }
                            ctx.print("spun \(x)")
                        } else {
                            // An executor per cell, as the course's cells open one.
                            let value = try? concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 2) { pool in
                                try pool.submit {
                                    Thread.sleep(forTimeInterval: 0.02); return 1
                                }.result()
                            }
                            ctx.print("slept \(value ?? 0)")
                        }
                    }
                })
        }
        return (Fixture.notebook(cells), DemoRegistry(demos))
    }

    func testEveryCellOfABigBatchRunsOnceAndCPUBoundCellsRunAlone() throws {
        let meter = Overlap()
        let (notebook, registry) = mixed(sleepers: 6, spinners: 2, meter: meter)
        let plans = try (0..<40).map { try Fixture.plan(notebook, registry, path: "copy\($0).ipynb") }
        let results = Engine.run(plans)
        XCTAssertEqual(results.map(\.path), plans.map(\.path))
        XCTAssertTrue(results.allSatisfy(\.failures.isEmpty))
        XCTAssertEqual(meter.runs.count, 8)
        XCTAssertTrue(meter.runs.values.allSatisfy { $0 == 40 }, "each cell of each notebook ran exactly once")
        for result in results {
            XCTAssertEqual(result.notebook.cells.map(\.executionCount), (1...8).map { .int($0) })
            XCTAssertTrue(result.notebook.cells.allSatisfy { !Fixture.streamLines($0).isEmpty }, "no lost output")
        }
        XCTAssertEqual(meter.overlaps, 0, "a CPU-bound cell never ran beside another cell")
        XCTAssertGreaterThan(meter.peakShared, 1, "timing-sensitive cells still run side by side")
    }

    func testJobsStillCapsTheCellsRunningAtOnce() throws {
        let meter = Overlap()
        let (notebook, registry) = mixed(sleepers: 8, spinners: 1, meter: meter)
        let plans = try (0..<3).map { try Fixture.plan(notebook, registry, path: "copy\($0).ipynb") }
        let results = Engine.run(plans, options: EngineOptions(jobs: 3))
        XCTAssertTrue(results.allSatisfy(\.failures.isEmpty))
        XCTAssertLessThanOrEqual(meter.peakAll, 3)
        XCTAssertEqual(meter.overlaps, 0)
        XCTAssertTrue(meter.runs.values.allSatisfy { $0 == 3 })
    }

    func testJobsOneRunsEveryKindOfCellAloneInDocumentOrder() throws {
        let order = Locked<[String]>([])
        var cells: [Cell] = [], demos: [Demo] = []
        for (index, cpuBound) in [false, true, false, true, false].enumerated() {
            let source = "cell(\(index))"
            let fingerprint = SourceFingerprint(source: source)
            cells.append(Fixture.codeCell(source))
            demos.append(
                Demo(
                    notebook: "fixture", name: source, fingerprint: fingerprint.digest,
                    load: cpuBound ? .allCores : .timingSensitive
                ) { _ in
                    order.withLock { $0.append(source) }
                })
        }
        let plan = try Fixture.plan(Fixture.notebook(cells), DemoRegistry(demos))
        _ = Engine.run([plan], options: EngineOptions(jobs: 1))
        XCTAssertEqual(order.withLock { $0 }, (0..<5).map { "cell(\($0))" })
    }

    func testABatchsExecutorsReuseThreadsInsteadOfCreatingThemPerCell() throws {
        let meter = Overlap()
        let (notebook, registry) = mixed(sleepers: 4, spinners: 0, meter: meter)
        let plans = try (0..<30).map { try Fixture.plan(notebook, registry, path: "copy\($0).ipynb") }
        // Both batches at the same peak of cells at once: a second batch that admission
        // let run more cells at once than the first would need more threads than are parked.
        let options = EngineOptions(jobs: 16)
        _ = Engine.run(plans, options: options)  // the first batch creates threads; they park when it ends
        let created = ThreadCache.shared.createdCount, reused = ThreadCache.shared.reusedCount
        _ = Engine.run(plans, options: options)
        // 120 cells, each on a pool thread and each opening an executor with a worker.
        XCTAssertEqual(meter.runs.values.reduce(0, +), 240)
        XCTAssertGreaterThan(ThreadCache.shared.reusedCount - reused, 120, "the second batch took parked threads")
        XCTAssertLessThan(
            ThreadCache.shared.createdCount - created, 120, "and created fewer than half of what it started")
    }
}
