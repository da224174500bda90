import Notebook

/// `--shard I/N`: splits a course's notebooks over N CI machines, balanced by the cost each
/// notebook's last run recorded, the same way on every machine.
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    package let index: Int
    package let count: Int

    /// Parses `I/N` with `1 <= I <= N`.
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
            count >= 1, (1...count).contains(index)
        else { return nil }
        self.index = index
        self.count = count
    }

    package var description: String { "\(index)/\(count)" }
}

package enum Shards {
    /// What a notebook costs to run, from the timing metadata it carries: its longest cell
    /// (the others run beside it), plus its CPU-bound cells, which take turns on one lane;
    /// for a notebook written step by step (its ports share a session), the sum of its cells,
    /// which run one after another. nil when none of its `no-run` cells recorded a timing.
    package static func cost(of notebook: Notebook, path: String, registry: DemoRegistry) -> Double? {
        let matcher = registry.matcher(for: notebook, named: RunPlan.notebookName(of: path))
        var longest = 0.0, cpuBound = 0.0, sum = 0.0, timed = false, session = false
        for cell in notebook.cells where cell.type == .code && cell.tags.contains(noRunTag) {
            let match = matcher(cell)
            if case .matched(let demo) = match, demo.session != nil { session = true }
            guard let seconds = CellTiming.recordedSeconds(in: cell.metadata) else { continue }
            timed = true
            sum += seconds
            if case .matched(let demo) = match, demo.isCPUBound {
                cpuBound += seconds
            } else {
                longest = max(longest, seconds)
            }
        }
        guard timed else { return nil }
        return session ? sum : longest + cpuBound
    }

    /// Splits `costs` (by path; nil: no timings, counted as the median of the others) into
    /// `count` shards: longest first, each to the shard with the least cost so far (ties:
    /// the path, then the lowest shard), so every machine computes the same split. Each
    /// shard keeps its paths in the order given.
    package static func partition(_ costs: [(path: String, cost: Double?)], count: Int) -> [[String]] {
        let known = costs.compactMap(\.cost).sorted()
        let median =
            known.isEmpty
            ? 1
            : known.count % 2 == 1
                ? known[known.count / 2] : (known[known.count / 2 - 1] + known[known.count / 2]) / 2
        let items = costs.map { (path: $0.path, cost: $0.cost ?? median) }
            .sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.path < $1.path }
        var loads = [Double](repeating: 0, count: max(count, 1))
        var shardOf: [String: Int] = [:]
        for item in items {
            let lightest = loads.indices.min { loads[$0] != loads[$1] ? loads[$0] < loads[$1] : $0 < $1 } ?? 0
            loads[lightest] += item.cost
            shardOf[item.path] = lightest
        }
        var shards = [[String]](repeating: [], count: loads.count)
        for entry in costs { shards[shardOf[entry.path] ?? 0].append(entry.path) }
        return shards
    }

    /// The paths of `shard`: reads every notebook for its cost (an unreadable one counts
    /// as the median; the shard it lands in reports it).
    package static func select(_ paths: [String], shard: Shard, registry: DemoRegistry) -> [String] {
        let costs = paths.map { path in
            (path: path, cost: (try? NotebookFile.read(path)).flatMap { cost(of: $0, path: path, registry: registry) })
        }
        return partition(costs, count: shard.count)[shard.index - 1]
    }
}
