import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import Synchronization
import XCTest

/// The end of a cell and of a notebook as a kernel ends them: output from threads woken by
/// a cell's last statement lands in that cell, and threads still computing after the last
/// cell stop using the CPU (the kernel shuts down) without slowing the notebooks beside.
final class KernelShutdownTests: XCTestCase {
    /// The spinners' `n += 1`s, all of them.
    static let spins = Atomic<Int>(0)

    /// `while True: n += 1` in two threads, left running by the notebook's last cell.
    static let spinning = DemoRegistry([
        Fixture.sessionDemo("def spin():\n    n = 0\n    while True:\n        n += 1", name: "define") { _, _ in .none
        },
        Fixture.sessionDemo("for _ in range(2):\n    threading.Thread(target=spin).start()", name: "spin") { _, _ in
            for _ in 0..<2 {
                threading.Thread(targetName: "spin") {
                    while true {
                        spins.add(1, ordering: .relaxed)  // n += 1
                        evalBreaker()
                    }
                }.start()
            }
            return .none
        },
    ])

    func testThreadsLeftComputingStopAtTheEndAndNeverSlowTheNotebooksBeside() throws {
        let spin = try Fixture.plan(
            Fixture.notebook([
                Fixture.codeCell("def spin():\n    n = 0\n    while True:\n        n += 1"),
                Fixture.codeCell("for _ in range(2):\n    threading.Thread(target=spin).start()"),
            ]), Self.spinning, path: "spin.ipynb")
        let threads = try RunPlan(
            path: CourseGoldenTests.path, notebook: NotebookFile.read(CourseGoldenTests.path), registry: .course)
        let results = Engine.run([spin, threads])
        XCTAssertEqual(
            results[0].lingeringThreads, ["Thread-5 (spin) (started in cell 2)", "Thread-6 (spin) (started in cell 2)"])
        // 02's cells take the times they take alone: its golden outputs still match.
        let comparison = try NotebookComparison.compare(
            expected: threads.notebook, actual: results[1].notebook,
            pairs: threads.steps.map { ($0.cellIndex, $0.cellIndex) }, path: threads.path, registry: .course,
            rules: RuleBook.governing(threads.path, registry: .course))
        for entry in comparison where !entry.comparison.matches {
            XCTFail("\(entry.label): " + entry.comparison.differences.joined(separator: "\n"))
        }
        // The spinners make no progress once their notebook has ended: they are parked.
        Thread.sleep(forTimeInterval: 0.05)
        let stopped = Self.spins.load(ordering: .relaxed)
        XCTAssertGreaterThan(stopped, 0, "they ran")
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(Self.spins.load(ordering: .relaxed), stopped, "the spinning threads stop after their notebook")
    }

    /// 06's release cell, 20 times: the waiter's line lands in the cell that releases it.
    func testAThreadWokenByTheCellsLastLinePrintsIntoThatCell() throws {
        let sources = ["gate.acquire()\nw.start()", "gate.release()", "w.join()"]
        let registry = DemoRegistry([
            Fixture.sessionDemo(sources[0], name: "start") { ctx, s in
                let gate = s.gate
                gate.acquire()
                let waiter = threading.Thread(name: "waiter") { gate.withLock { ctx.print("waiter: got the gate") } }
                s.threads = [waiter]
                waiter.start()
                return .none
            },
            Fixture.sessionDemo(sources[1], name: "release") { _, s in
                try s.gate.release()
                return .none
            },
            Fixture.sessionDemo(sources[2], name: "join") { _, s in
                s.threads[0].join()
                return .none
            },
        ])
        let plan = try Fixture.plan(Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry)
        for run in 1...20 {
            let cells = Engine.run([plan])[0].notebook.cells
            XCTAssertEqual(cells.map { Fixture.streamLines($0) }, [[], ["waiter: got the gate"], []], "run \(run)")
        }
    }
}
