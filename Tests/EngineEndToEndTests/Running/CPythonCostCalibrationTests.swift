import Engine
import EngineTestKit
import Foundation
import Futures
import Notebook
import PythonRuntime
import TestKit
import XCTest

/// The CPython costs a port declares with its demo are measured by the engine before the
/// cells start, never in a cell's own time; a cost not declared is still measured, in the
/// cell that asks for it, as before.
final class CPythonCostCalibrationTests: XCTestCase {
    func testADeclaredCostIsMeasuredBeforeTheCellStartsAndAnUndeclaredOneInTheCell() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-costs-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("costs.json")
        // Statements no earlier test measured: neither is in this process's memory or the cache.
        func loop(_ tag: String) -> CPythonCost.Declaration {
            CPythonCost.Declaration(
                statement: "if n % i == 0: pass  # \(tag) \(UUID())", setup: "n = 1_000_003; i = 7",
                fallbackNanoseconds: 1, cacheFile: file)
        }
        let declared = loop("declared"), undeclared = loop("undeclared")
        let seen = Locked<[String: (source: CPythonCost.Source, seconds: Double)]>([:])
        func asking(for cost: CPythonCost.Declaration, _ name: String) -> @Sendable (DemoContext) throws -> Void {
            { _ in
                let start = time.perfCounter()
                let source = cost.cost.source
                let seconds = time.perfCounter() - start
                seen.withLock { $0[name] = (source, seconds) }
            }
        }
        let sources = ["declared = cost()", "undeclared = cost()"]
        let registry = DemoRegistry([
            demo(sources[0], name: "declared", costs: [declared], run: asking(for: declared, "declared")),
            demo(sources[1], name: "undeclared", costs: [], run: asking(for: undeclared, "undeclared")),
        ])
        let plan = try Fixture.plan(Fixture.notebook(sources.map { Fixture.codeCell($0) }), registry)
        let result = Engine.run([plan], options: EngineOptions(jobs: 1))[0]
        XCTAssertEqual(result.failures.map(\.description), [])

        let declaredSeen = try XCTUnwrap(seen.withLock { $0["declared"] })
        let undeclaredSeen = try XCTUnwrap(seen.withLock { $0["undeclared"] })
        // The declared cost was measured before its cell: the cell found it in memory.
        XCTAssertEqual(declaredSeen.source, .cached)
        // The undeclared one was measured in its cell, which took the measurement's time...
        guard case .measured = undeclaredSeen.source else { return XCTFail("\(undeclaredSeen.source)") }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(result.seconds[1]), undeclaredSeen.seconds)
        // ...which the declared cell did not: its whole recorded time is a fraction of that.
        XCTAssertLessThan(try XCTUnwrap(result.seconds[0]), undeclaredSeen.seconds / 2)
        let cached = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: file))
        XCTAssertEqual(cached.count, 2, "both measured once and cached")
    }

    private func demo(
        _ source: String, name: String, costs: [CPythonCost.Declaration],
        run: @escaping @Sendable (DemoContext) throws -> Void
    ) -> Demo {
        let fingerprint = SourceFingerprint(source: source)
        return Demo(
            notebook: "fixture", name: name, fingerprint: fingerprint.digest, sketch: fingerprint.sketch,
            costs: costs, run: run)
    }
}
