import Foundation
import Futures

extension random.Random {
    /// `choice(seq)`: `IndexError: Cannot choose from an empty sequence` when empty.
    public func choice<C: RandomAccessCollection>(_ seq: C) throws -> C.Element {
        guard !seq.isEmpty else { throw builtins.IndexError("Cannot choose from an empty sequence") }
        let offset = withState { Self.randbelow(seq.count, &$0.twister) }
        return seq[seq.index(seq.startIndex, offsetBy: offset)]
    }

    /// `shuffle(x)`: in place, Fisher–Yates from the end, as CPython's.
    public func shuffle<C: MutableCollection & RandomAccessCollection>(_ x: inout C) {
        withState { state in
            for i in stride(from: x.count - 1, to: 0, by: -1) {
                let j = Self.randbelow(i + 1, &state.twister)
                x.swapAt(x.index(x.startIndex, offsetBy: i), x.index(x.startIndex, offsetBy: j))
            }
        }
    }

    /// `sample(population, k)`: `k` distinct positions, in selection order, by CPython's two
    /// algorithms (a pool for small populations, a set of picks for large ones).
    public func sample<C: RandomAccessCollection>(_ population: C, k: Int) throws -> [C.Element] {
        let n = population.count
        guard 0 <= k, k <= n else {
            throw builtins.ValueError("Sample larger than population or is negative")
        }
        func element(_ offset: Int) -> C.Element {
            population[population.index(population.startIndex, offsetBy: offset)]
        }
        var setsize = 21
        if k > 5 { setsize += Self.power4(Int((Foundation.log(Double(k * 3)) / Foundation.log(4.0)).rounded(.up))) }
        return withState { state in
            var result: [C.Element] = []
            result.reserveCapacity(k)
            if n <= setsize {
                var pool = Array(population)
                for i in 0..<k {
                    let j = Self.randbelow(n - i, &state.twister)
                    result.append(pool[j])
                    pool[j] = pool[n - i - 1]
                }
            } else {
                var selected = Set<Int>()
                for _ in 0..<k {
                    var j = Self.randbelow(n, &state.twister)
                    while selected.contains(j) { j = Self.randbelow(n, &state.twister) }
                    selected.insert(j)
                    result.append(element(j))
                }
            }
            return result
        }
    }

    /// `4 ** exponent`, saturating at `Int.max` (a table size beyond any population).
    static func power4(_ exponent: Int) -> Int {
        exponent < 31 ? 1 << (2 * exponent) : .max
    }

    /// `choices(population, weights, k=1)`: each pick bisects the running sums of `weights`
    /// at `random() * total`, as CPython's; `cumWeights` gives the sums directly.
    public func choices<C: RandomAccessCollection>(
        _ population: C, weights: [Double]? = nil, cumWeights: [Double]? = nil, k: Int = 1
    ) throws -> [C.Element] {
        if weights == nil, cumWeights == nil { return try choices(population, k: k) }
        if weights != nil, cumWeights != nil {
            throw builtins.TypeError("Cannot specify both weights and cumulative weights")
        }
        let sums = cumWeights ?? (weights ?? []).reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
        let n = population.count
        guard sums.count == n else {
            throw builtins.ValueError("The number of weights does not match the population")
        }
        let total = (sums.last ?? 0) + 0.0
        guard total > 0 else { throw builtins.ValueError("Total of weights must be greater than zero") }
        guard total.isFinite else { throw builtins.ValueError("Total of weights must be finite") }
        return withState { state in
            (0..<max(0, k)).map { _ in
                // bisect_right(sums, random() * total, 0, n - 1)
                let x = Self.random(&state.twister) * total
                var (low, high) = (0, n - 1)
                while low < high {
                    let middle = (low + high) / 2
                    if x < sums[middle] { high = middle } else { low = middle + 1 }
                }
                return population[population.index(population.startIndex, offsetBy: low)]
            }
        }
    }

    /// `choices(population, k=1)` (equal weights): `population[floor(random() * n)]`, `k` times.
    public func choices<C: RandomAccessCollection>(_ population: C, k: Int = 1) throws -> [C.Element] {
        guard !population.isEmpty || k == 0 else {
            throw builtins.IndexError("list index out of range")
        }
        let n = Double(population.count)
        return withState { state in
            (0..<max(0, k)).map { _ in
                let offset = Int((Self.random(&state.twister) * n).rounded(.down))
                return population[population.index(population.startIndex, offsetBy: offset)]
            }
        }
    }
}
