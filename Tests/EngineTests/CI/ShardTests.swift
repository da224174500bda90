import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// `--shard I/N`: every notebook in exactly one shard, the same split on every run, and
/// shards balanced by recorded cost within the cost of one notebook.
final class ShardTests: XCTestCase {
    /// Costs shaped like a course: a few long notebooks, many short ones, some without timings.
    private let costs: [(path: String, cost: Double?)] = (0..<23).map { index in
        let cost: Double? = index % 5 == 4 ? nil : Double((index * 37) % 11) + 0.25 * Double(index % 3)
        return (path: String(format: "nb/%02d.ipynb", index), cost: cost)
    }

    func testEveryNotebookLandsInExactlyOneShard() {
        for count in 1...6 {
            let shards = Shards.partition(costs, count: count)
            XCTAssertEqual(shards.count, count)
            let all = shards.flatMap { $0 }
            XCTAssertEqual(Set(all), Set(costs.map(\.path)), "the union is everything (N = \(count))")
            XCTAssertEqual(all.count, costs.count, "no notebook in two shards (N = \(count))")
            for shard in shards {
                XCTAssertEqual(shard, costs.map(\.path).filter(shard.contains), "a shard keeps the given order")
            }
        }
    }

    func testTheSplitIsStableWhateverTheInputOrder() {
        let first = Shards.partition(costs, count: 4)
        XCTAssertEqual(Shards.partition(costs, count: 4), first)
        let shuffled = Shards.partition(costs.reversed(), count: 4).map { Set($0) }
        XCTAssertEqual(shuffled, first.map { Set($0) }, "ties are broken by path, not by position")
    }

    func testShardsAreBalancedWithinOneNotebooksCost() {
        let known = costs.compactMap(\.cost).sorted()
        let median = (known[known.count / 2 - 1] + known[known.count / 2]) / 2
        let cost = Dictionary(uniqueKeysWithValues: costs.map { ($0.path, $0.cost ?? median) })
        for count in 2...5 {
            let loads = Shards.partition(costs, count: count).map { $0.reduce(0) { $0 + (cost[$1] ?? 0) } }
            let spread = (loads.max() ?? 0) - (loads.min() ?? 0)
            XCTAssertLessThanOrEqual(spread, (cost.values.max() ?? 0) + 1e-9, "N = \(count): loads \(loads)")
        }
    }

    func testMoreShardsThanNotebooksLeavesEmptyShards() {
        let shards = Shards.partition([("a.ipynb", 1), ("b.ipynb", nil)], count: 4)
        XCTAssertEqual(shards.filter(\.isEmpty).count, 2)
        XCTAssertEqual(Set(shards.flatMap { $0 }), ["a.ipynb", "b.ipynb"])
    }

    func testShardArgumentsParse() {
        XCTAssertEqual(Shard(parsing: "2/4")?.index, 2)
        XCTAssertEqual(Shard(parsing: "1/1")?.count, 1)
        for bad in ["0/4", "5/4", "2", "2/0", "a/b", "2/4/6", "-1/2", ""] {
            XCTAssertNil(Shard(parsing: bad), bad)
        }
    }

    /// The course notebook's cost is its longest sleeping cell plus its CPU-bound cells,
    /// from the timings it carries; a notebook without timings has none.
    func testCostComesFromTheRecordedTimings() throws {
        let path = Fixture.threadsNotebookPath
        let notebook = try NotebookFile.read(path)
        let cost = try XCTUnwrap(Shards.cost(of: notebook, path: path, registry: .course))
        var longest = 0.0, cpu = 0.0
        for cell in notebook.cells where cell.tags.contains(noRunTag) {
            guard let seconds = CellTiming.recordedSeconds(in: cell.metadata) else { continue }
            guard case .matched(let demo) = DemoRegistry.course.match(cell, notebookName: "02-threads") else {
                return XCTFail("the golden notebook's cells all have ports")
            }
            if demo.isCPUBound { cpu += seconds } else { longest = max(longest, seconds) }
        }
        XCTAssertEqual(cost, longest + cpu, accuracy: 1e-9)
        XCTAssertGreaterThan(cpu, 0, "the race and the lock are CPU-bound")
        var bare = notebook
        for index in bare.cells.indices { _ = bare.cells[index].metadata.removeValue(forKey: "execution") }
        XCTAssertNil(Shards.cost(of: bare, path: path, registry: .course))
    }

    /// A notebook written step by step runs its cells one after another: it costs their sum.
    func testASessionCostsTheSumOfItsCells() throws {
        let path = Fixture.threadsNotebookPath.replacingOccurrences(of: "02-threads", with: "05-coordination")
        let notebook = try NotebookFile.read(path)
        let cost = try XCTUnwrap(Shards.cost(of: notebook, path: path, registry: .course))
        let seconds = notebook.cells.filter { $0.tags.contains(noRunTag) }.compactMap {
            CellTiming.recordedSeconds(in: $0.metadata)
        }
        XCTAssertEqual(seconds.count, 10)
        XCTAssertEqual(cost, seconds.reduce(0, +), accuracy: 1e-9)
        XCTAssertGreaterThan(cost, (seconds.max() ?? 0) + 0.2, "more than its longest cell")
    }
}
