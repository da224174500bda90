import Foundation
import XCTest

/// The command line on `06-faults`, the notebook of what a kernel does around a cell.
final class FaultsCLITests: XCTestCase {
    static let notebook = CLI.repository.appendingPathComponent("notebooks/06-faults.ipynb")

    /// A hundred copies in one `check`: no false differences. Each copy's deadlock cell ends
    /// by the interrupt at its 3 s timeout and leaves two threads blocked, and its spinning
    /// cells leave threads running between cells; none of it may leak into another copy's
    /// output or times.
    func testAHundredCopiesCheckClean() throws {
        let directory = try TemporaryDirectory()
        // The course's rules (the deadlock cell's timeout and interrupt) apply to the copies.
        try FileManager.default.copyItem(
            at: CLI.repository.appendingPathComponent("nbrun.json"), to: directory.path("nbrun.json"))
        for copy in 1...100 {
            try FileManager.default.copyItem(at: Self.notebook, to: directory.path("06-faults-\(copy).ipynb"))
        }
        let result = try CLI.runProgram(try CLI.requireBinary(), ["check", directory.url.path], timeout: 300)
        // check's one summary line: "nbrun: 100 notebooks, 1200 cells in 7.9 s; 0 cells differ".
        XCTAssertTrue(result.stderr.contains("nbrun: 100 notebooks, 1200 cells in "), result.summary)
        // Under a sanitizer measured times are not nbrun's: there the run must only complete.
        guard ProcessInfo.processInfo.environment["NBRUN_SANITIZER"] == nil else { return }
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("; 0 cells differ\n"), result.summary)
    }
}
