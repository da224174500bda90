import EngineTestKit
import Foundation
import Futures
import PythonRuntime
import XCTest

@testable import Engine

/// What admission learns of each demo's CPU need, and what the running cells reserve.
final class CellCostsTests: XCTestCase {
    func testAFirstCellThatOnlyWaitsMarksItsDemoAsNeedingNothingBeforeItEnds() {
        let costs = CellCosts()
        let sleeper = Fixture.emptyDemo("sleeper")
        _ = costs.started(sleeper)
        XCTAssertNil(costs.need(of: sleeper).cores)
        let measured = expectation(description: "a need while the first cell still runs")
        let thread = Thread {
            costs.begins(sleeper)
            Thread.sleep(forTimeInterval: AdmissionSettings.production.glimpse * 3)  // waits, computes nothing
            XCTAssertEqual(costs.need(of: sleeper).cores, 0, "sleeping uses no CPU")
            measured.fulfill()
        }
        thread.start()
        wait(for: [measured], timeout: 30)
    }

    func testAFirstCellThatComputesLeavesItsDemoUnknownUntilItEnds() {
        let costs = CellCosts()
        let busy = Fixture.emptyDemo("busy")
        _ = costs.started(busy)
        let measured = expectation(description: "no need while the first cell still runs")
        let thread = Thread {
            costs.begins(busy)
            let until = Date().addingTimeInterval(AdmissionSettings.production.glimpse * 3)
            var spins = 0
            while Date() < until { spins &+= 1 }  // computes, waits for nothing
            XCTAssertNil(costs.need(of: busy).cores, "a glimpse of a busy cell is not trusted")
            measured.fulfill()
        }
        thread.start()
        wait(for: [measured], timeout: 30)
    }

    func testANotebookRunStepByStepGivesNoGlimpse() {
        let costs = CellCosts()
        let chain = Fixture.emptyDemo("first-cell-only-waits")
        _ = costs.started(chain)
        let measured = expectation(description: "still unknown while the run goes on")
        let thread = Thread {
            costs.begins(chain, stepByStep: true)
            Thread.sleep(forTimeInterval: AdmissionSettings.production.glimpse * 3)  // its first cell waits
            XCTAssertNil(
                costs.need(of: chain).cores, "a later cell may start a dozen threads: known once a run has finished")
            measured.fulfill()
        }
        thread.start()
        wait(for: [measured], timeout: 30)
        costs.finished(chain, reserved: nil, cpu: 0.012, wall: 2.6)
        XCTAssertEqual(costs.need(of: chain).cpu ?? 0, 0.012, accuracy: 1e-9)
    }

    func testACellsCPUIsItsThreadsToo() {
        let burned = Locked(0.0)
        let cell = Demo(notebook: "fixture", name: "threads-compute", fingerprint: "threads-compute") { _ in
            let worker = threading.Thread {
                let start = time.threadTime()
                while time.threadTime() - start < 0.03 { evalBreaker() }
                burned.withLock { $0 = time.threadTime() - start }
            }
            worker.start()
            worker.join()  // the cell's own thread only waits
        }
        let outcome = CellExecution.run(cell, seed: 0, timeout: nil, gilWatchdog: nil)
        XCTAssertNil(outcome.failure)
        XCTAssertGreaterThanOrEqual(burned.withLock { $0 }, 0.03)
        XCTAssertGreaterThanOrEqual(
            outcome.cpuSeconds, burned.withLock { $0 } - 1e-6, "the thread it started computed for the cell")
    }
}
