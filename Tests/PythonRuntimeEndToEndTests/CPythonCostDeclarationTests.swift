import Foundation
import TestKit
import XCTest

@testable import PythonRuntime

/// `CPythonCost.Declaration`: calibrated once before the cells, then read with no python3 run,
/// in this process or in a new one (a child process of a port).
final class CPythonCostDeclarationTests: XCTestCase {
    func testACalibratedCostIsReadWithoutRunningPython3EvenInANewProcess() throws {
        guard let python = PythonReference.executable else { throw XCTSkip("no python3 on this machine") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-costs-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A python3 that logs each time it runs.
        let log = folder.appendingPathComponent("runs.log")
        let wrapper = folder.appendingPathComponent("python3")
        try Data("#!/bin/sh\necho run >> '\(log.path)'\nexec '\(python)' \"$@\"\n".utf8).write(to: wrapper)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        let saved = ProcessInfo.processInfo.environment["NBRUN_PYTHON"]
        setenv("NBRUN_PYTHON", wrapper.path, 1)
        defer {
            if let saved { setenv("NBRUN_PYTHON", saved, 1) } else { unsetenv("NBRUN_PYTHON") }
        }
        func pythonRuns() -> Int {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        let declaration = CPythonCost.Declaration(
            statement: "x = 7 * 6  # \(UUID())", fallbackNanoseconds: 1,
            cacheFile: folder.appendingPathComponent("costs.json"))
        let calibrated = CPythonCost.Declaration.calibrate([declaration, declaration])
        guard case .measured = calibrated[0].source else { return XCTFail("\(calibrated[0].source)") }
        XCTAssertEqual(calibrated[1], calibrated[0], "declared twice, measured once")
        XCTAssertEqual(pythonRuns(), 2, "its version, then timeit")
        let cached = CPythonCost(secondsPerIteration: calibrated[0].secondsPerIteration, source: .cached)
        XCTAssertEqual(declaration.cost, cached)
        // A new process (a port's child) knows nothing in memory, and still runs no python3.
        CPythonCost.forgetThisProcess()
        XCTAssertEqual(declaration.cost, cached)
        XCTAssertEqual(pythonRuns(), 2, "no python3 ran after the calibration")
    }
}
