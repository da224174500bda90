import EngineTestKit
import Foundation
import Futures
import PythonRuntime
import XCTest

@testable import Engine

/// What admission learns of each demo's CPU need, and what the running cells reserve.
final class CellCostsTests: XCTestCase {
    func testANeedIsLearnedFromFinishedCellsAndReservedWhileTheyRun() {
        let costs = CellCosts()
        let loop = Fixture.emptyDemo("many-waits")
        XCTAssertNil(costs.need(of: loop).cores, "nothing known before a cell has run")
        XCTAssertNil(costs.started(loop), "an unknown need reserves nothing yet")
        let early = costs.started(loop)
        XCTAssertEqual(costs.need(of: loop).running, 2)
        costs.finished(loop, reserved: nil, cpu: 0.08, wall: 0.55)
        let need = costs.need(of: loop)
        XCTAssertEqual(need.cores ?? 0, 0.08 / 0.55, accuracy: 1e-9, "CPU time over wall time")
        XCTAssertEqual(need.cpu ?? 0, 0.08, accuracy: 1e-9)
        XCTAssertEqual(need.running, 1)
        XCTAssertEqual(
            costs.reservedCores, 0.08 / 0.55, accuracy: 1e-9,
            "a cell started before the need was known counts at it once it is")
        costs.finished(loop, reserved: early, cpu: 0.08, wall: 0.55)
        XCTAssertEqual(costs.reservedCores, 0, accuracy: 1e-9)

        let reserved = costs.started(loop)
        XCTAssertEqual(reserved ?? 0, 0.08 / 0.55, accuracy: 1e-9)
        XCTAssertEqual(costs.reservedCores, 0.08 / 0.55, accuracy: 1e-9, "a running cell holds its need")
        costs.finished(loop, reserved: reserved, cpu: 0.08, wall: 1.10)
        XCTAssertEqual(costs.reservedCores, 0, accuracy: 1e-9, "and gives it back when it ends")
        XCTAssertEqual(
            costs.need(of: loop).cores ?? 0, 0.08 / 0.55, accuracy: 1e-9,
            "a run slowed by the batch does not make the need look smaller")
        XCTAssertNil(costs.need(of: Fixture.emptyDemo("other")).cores, "needs are per demo")
    }
}
