import Foundation
import XCTest
import Demos

/// The ports of `03-processes` against CPython 3.11's reference outputs
/// (`/work/shared/reference/03-processes.cpython-3.11.ipynb`).
final class Processes03Tests: XCTestCase {
    func testBurnIsRegistered() throws {
        let demo = try XCTUnwrap(Catalog.demos.first { $0.notebook == "03-processes" && $0.name == "burn" })
        XCTAssertTrue(demo.cpuBound)
        XCTAssertEqual(demo.fingerprint, "4543073ba303e8ce")
    }

    /// Reference: `sequential: 1.00s` / `4 threads:  1.00s`. Each run burns 1 s of CPU time
    /// in all; threads that take turns on the GIL cannot do that in less than 1 s of wall
    /// time, whatever the load (on two cores without a GIL it would take about 0.5 s).
    func testFourThreadsAreNoFasterThanSequential() throws {
        let demo = try XCTUnwrap(Processes03.demos.first { $0.name == "burn" })
        let ctx = DemoContext(seed: 1)
        try demo.run(ctx)
        let text = ctx.capturedStreams().map(\.text).joined()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(
            lines.map { $0.replacingOccurrences(of: #"\d+\.\d\d"#, with: "<t>", options: .regularExpression) },
            ["sequential: <t>s", "4 threads:  <t>s"]
        )
        let seconds = lines.compactMap { line in
            line.range(of: #"\d+\.\d\d"#, options: .regularExpression).flatMap { Double(line[$0]) }
        }
        XCTAssertEqual(seconds.count, 2)
        for measured in seconds {
            XCTAssertGreaterThanOrEqual(measured, 0.97, text)  // 1 s of CPU, one thread at a time
        }
    }
}
