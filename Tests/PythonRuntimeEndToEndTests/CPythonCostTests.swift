import Foundation
import PythonRuntime
import TestKit
import XCTest

/// `CPythonCost`: measured with the real python3 once, cached, and spent as CPU time. How
/// close the spent time comes to CPython's on an idle and a loaded machine is a bench row
/// (`bench/cpu_cost_row.py`), not a timed test.
final class CPythonCostTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-costs-\(UUID())")
    }

    override func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
        super.tearDown()
    }

    func testACostIsMeasuredWithPython3OnceThenCached() throws {
        let file = folder.appendingPathComponent("costs.json")
        let statement = "if n % i == 0: pass  # \(UUID())"  // a statement no earlier test measured
        let first = CPythonCost.of(
            statement: statement, setup: "n = 1_000_003; i = 7", fallbackNanoseconds: 1, cacheFile: file)
        guard case .measured = first.source else { return XCTFail("\(first.source)") }
        // Tens of nanoseconds on any machine CPython 3.11 runs on; far from the fallback's 1 ns.
        XCTAssertGreaterThan(first.secondsPerIteration, 3e-9)
        XCTAssertLessThan(first.secondsPerIteration, 2e-6)
        let cached = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: file))
        XCTAssertEqual(cached.count, 1)
        XCTAssertTrue(cached.keys.first?.hasPrefix(statement) ?? false)
        let again = CPythonCost.of(
            statement: statement, setup: "n = 1_000_003; i = 7", fallbackNanoseconds: 1, cacheFile: file)
        XCTAssertEqual(again, CPythonCost(secondsPerIteration: first.secondsPerIteration, source: .cached))
    }

    func testWithoutPython3ThePortsOwnFigureIsUsed() {
        let saved = (ProcessInfo.processInfo.environment["PATH"], ProcessInfo.processInfo.environment["NBRUN_PYTHON"])
        setenv("PATH", folder.path, 1)
        unsetenv("NBRUN_PYTHON")
        defer {
            if let path = saved.0 { setenv("PATH", path, 1) }
            if let python = saved.1 { setenv("NBRUN_PYTHON", python, 1) }
        }
        let cost = CPythonCost.of(
            statement: "pass", fallbackNanoseconds: 31.7, cacheFile: folder.appendingPathComponent("costs.json"))
        XCTAssertEqual(cost, CPythonCost(secondsPerIteration: 31.7e-9, source: .fallback))
    }

    /// At least the CPU time asked for, on the calling thread, holding the GIL.
    func testSpendBurnsTheIterationsCPUTimeHoldingTheGIL() {
        let interpreter = PyInterpreter()
        interpreter.run {
            let before = time.threadTime()
            CPythonCost(secondsPerIteration: 1e-6, source: .fallback).spend(iterations: 20_000)
            XCTAssertGreaterThanOrEqual(time.threadTime() - before, 0.02)
            XCTAssertTrue(interpreter.holdsGIL)
        }
    }
}
