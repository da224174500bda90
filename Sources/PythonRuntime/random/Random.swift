import BigInt
import Foundation
import Futures

extension random {
    /// Python's `random.Random`: CPython 3.11's Mersenne Twister and the algorithms of its
    /// `random.py` over it, so the same seed draws the same numbers as CPython.
    ///
    /// Unseeded (`Random()`), it is seeded from the running cell's generator, so `--seed`
    /// still fixes a run; outside any cell, from the system's entropy. One instance may be
    /// shared by threads: each call draws under a lock, as CPython's run under the GIL.
    public final class Random: Sendable {
        private struct State: Sendable {
            var twister: MersenneTwister
            /// `gauss_next`: the second of the pair `gauss` draws, kept for the next call.
            var gaussNext: Double?
        }

        private let state: Locked<State?>
        /// Where an unseeded instance takes its seed from, at its first draw.
        private let entropy: @Sendable () -> UInt64

        /// `random.Random()`: seeded from the running cell's generator (the system's entropy
        /// outside a cell).
        public convenience init() {
            self.init(entropy: PyInterpreter.current?.entropy ?? Self.systemEntropy)
        }

        /// `random.Random(x)` for an int seed.
        public convenience init(_ seed: Int) {
            self.init()
            self.seed(seed)
        }

        /// `random.Random(x)` for an int seed beyond 64 bits.
        public convenience init(_ seed: BigInt) {
            self.init()
            self.seed(seed)
        }

        /// `random.Random(x)` for a float seed.
        public convenience init(_ seed: Double) {
            self.init()
            self.seed(seed)
        }

        /// `random.Random(x)` for a str seed.
        public convenience init(_ seed: String) {
            self.init()
            self.seed(seed)
        }

        /// An instance that seeds itself from `entropy` when first drawn from, unless seeded first.
        init(entropy: @escaping @Sendable () -> UInt64) {
            self.entropy = entropy
            state = Locked(nil)
        }

        static let systemEntropy: @Sendable () -> UInt64 = {
            var generator = SystemRandomNumberGenerator()
            return generator.next()
        }

        // MARK: Seeding

        /// `seed(a)` for an int: all of `abs(a)`'s bits are the key, as CPython's.
        public func seed(_ a: Int) {
            seed(key: Self.key(of: a.magnitude.words.map { UInt64($0) }))
        }

        /// `seed(a)` for an int beyond 64 bits.
        public func seed(_ a: BigInt) {
            seed(key: Self.key(of: a.magnitude.words.map { UInt64($0) }))
        }

        /// `seed(a)` for a str (version 2): the int of its UTF-8 bytes followed by their SHA-512.
        public func seed(_ a: String) {
            let bytes = Array(a.utf8)
            let digits = bytes + SHA512.hash(bytes)
            // int.from_bytes(..., 'big'): the key's words run from the last byte backwards.
            var words: [UInt64] = []
            var index = digits.count
            while index > 0 {
                let start = max(0, index - 8)
                words.append(digits[start..<index].reduce(0) { $0 << 8 | UInt64($1) })
                index = start
            }
            seed(key: Self.key(of: words))
        }

        /// `seed(a)` for a float: its `hash()`, as an unsigned 64-bit number (so `2.0` seeds as
        /// `2` does); NaN, whose hash is its address in CPython, seeds as `seed()` does.
        public func seed(_ a: Double) {
            guard let hash = Self.pythonHash(a) else { return seed() }
            seed(key: Self.key(of: [UInt64(bitPattern: Int64(hash))]))
        }

        /// CPython's `_Py_HashDouble`: the value modulo 2**61 - 1, signed; nil for NaN.
        static func pythonHash(_ v: Double) -> Int? {
            let bits: UInt64 = 61
            let modulus: UInt64 = (1 << bits) - 1
            if v.isNaN { return nil }
            if v.isInfinite { return v > 0 ? 314_159 : -314_159 }
            // Swift's frexp returns the magnitude's mantissa (C's keeps the sign): take it from v.
            let parts = Foundation.frexp(v)
            var (m, e) = (parts.0.magnitude, parts.1)
            let sign: UInt64 = v < 0 ? UInt64.max : 1  // -1 or 1
            var x: UInt64 = 0
            while m != 0 {
                x = ((x << 28) & modulus) | x >> (bits - 28)
                m *= 268_435_456.0
                e -= 28
                let y = UInt64(m)
                m -= Double(y)
                x += y
                if x >= modulus { x -= modulus }
            }
            let shift = UInt64(e >= 0 ? e % Int(bits) : Int(bits) - 1 - ((-1 - e) % Int(bits)))
            x = ((x << shift) & modulus) | x >> (bits - shift)
            x = x &* sign
            if x == UInt64.max { x = UInt64.max - 1 }  // -1 is reserved: -2
            return Int(Int64(bitPattern: x))
        }

        /// `seed()`: from the running cell's generator (the system's entropy outside a cell),
        /// as CPython seeds from `os.urandom`.
        public func seed() {
            seed(key: Self.entropyKey(entropy))
        }

        private func seed(key: [UInt32]) {
            state.withLock { $0 = State(twister: MersenneTwister(key: key), gaussNext: nil) }
        }

        /// The 32-bit words of a magnitude given as 64-bit words (least significant first),
        /// without the high zero words, and `[0]` for zero, as `random_seed` cuts them.
        private static func key(of words: [UInt64]) -> [UInt32] {
            var key = words.flatMap { [UInt32(truncatingIfNeeded: $0), UInt32(truncatingIfNeeded: $0 >> 32)] }
            while key.count > 1, key.last == 0 { key.removeLast() }
            return key.isEmpty ? [0] : key
        }

        /// `random_seed_urandom`: 624 words of entropy.
        private static func entropyKey(_ entropy: () -> UInt64) -> [UInt32] {
            (0..<312).flatMap { _ in
                let word = entropy()
                return [UInt32(truncatingIfNeeded: word), UInt32(truncatingIfNeeded: word >> 32)]
            }
        }

        /// Runs `body` on the state, seeding it first if nothing has.
        private func withState<R>(_ body: (inout State) throws -> R) rethrows -> R {
            try state.withLock { slot in
                var current = slot ?? State(twister: MersenneTwister(key: Self.entropyKey(entropy)), gaussNext: nil)
                defer { slot = current }
                return try body(&current)
            }
        }

        // MARK: Bits and floats

        /// `random()`: a float in [0, 1) of 53 random bits, from two 32-bit draws.
        public func random() -> Double {
            withState { Self.random(&$0.twister) }
        }

        private static func random(_ twister: inout MersenneTwister) -> Double {
            let a = Double(twister.next() >> 5)
            let b = Double(twister.next() >> 6)
            return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
        }

        /// `getrandbits(k)`: an int of `k` random bits (`ValueError` for a negative `k`).
        public func getrandbits(_ k: Int) throws -> BigInt {
            guard k >= 0 else { throw PythonError("ValueError", "number of bits must be non-negative") }
            let words = withState { Self.bitWords(k, &$0.twister) }
            return BigInt(BigUInt(words: Self.pairs(words)))
        }

        /// CPython's `_random_Random_getrandbits_impl`: 32-bit words, least significant first,
        /// the last one cut to the bits left.
        private static func bitWords(_ k: Int, _ twister: inout MersenneTwister) -> [UInt32] {
            if k == 0 { return [] }
            if k <= 32 { return [twister.next() >> (32 - k)] }
            var left = k
            var words: [UInt32] = []
            while left > 0 {
                var word = twister.next()
                if left < 32 { word >>= (32 - left) }
                words.append(word)
                left -= 32
            }
            return words
        }

        private static func pairs(_ words: [UInt32]) -> [UInt] {
            stride(from: 0, to: words.count, by: 2).map { index in
                let high = index + 1 < words.count ? UInt(words[index + 1]) << 32 : 0
                return high | UInt(words[index])
            }
        }

        /// `_randbelow_with_getrandbits(n)` for `n > 0`: `getrandbits(n.bit_length())` until below `n`.
        private static func randbelow(_ n: Int, _ twister: inout MersenneTwister) -> Int {
            let k = Int.bitWidth - n.leadingZeroBitCount
            while true {
                let words = bitWords(k, &twister)
                let r = words.enumerated().reduce(0) { $0 | Int($1.element) << (32 * $1.offset) }
                if r < n { return r }
            }
        }

        // MARK: Integers

        /// `randrange(stop)`.
        public func randrange(_ stop: Int) throws -> Int {
            guard stop > 0 else { throw PythonError("ValueError", "empty range for randrange()") }
            return withState { Self.randbelow(stop, &$0.twister) }
        }

        /// `randrange(start, stop, step=1)`, with CPython's `ValueError`s.
        public func randrange(_ start: Int, _ stop: Int, _ step: Int = 1) throws -> Int {
            let width = stop - start
            if step == 1 {
                guard width > 0 else {
                    throw PythonError("ValueError", "empty range for randrange() (\(start), \(stop), \(width))")
                }
                return start + withState { Self.randbelow(width, &$0.twister) }
            }
            guard step != 0 else { throw PythonError("ValueError", "zero step for randrange()") }
            let n = Self.floorDivide(step > 0 ? width + step - 1 : width + step + 1, step)
            guard n > 0 else { throw PythonError("ValueError", "empty range for randrange()") }
            return start + step * withState { Self.randbelow(n, &$0.twister) }
        }

        /// `randint(a, b)`: `randrange(a, b + 1)`.
        public func randint(_ a: Int, _ b: Int) throws -> Int {
            try randrange(a, b + 1)
        }

        private static func floorDivide(_ a: Int, _ b: Int) -> Int {
            let quotient = a / b
            return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
        }

        // MARK: Sequences

        /// `choice(seq)`: `IndexError: Cannot choose from an empty sequence` when empty.
        public func choice<C: RandomAccessCollection>(_ seq: C) throws -> C.Element {
            guard !seq.isEmpty else { throw PythonError("IndexError", "Cannot choose from an empty sequence") }
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
                throw PythonError("ValueError", "Sample larger than population or is negative")
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

        private static func power4(_ exponent: Int) -> Int {
            (0..<exponent).reduce(1) { product, _ in product * 4 }
        }

        /// `choices(population, weights, k=1)`: each pick bisects the running sums of `weights`
        /// at `random() * total`, as CPython's; `cumWeights` gives the sums directly.
        public func choices<C: RandomAccessCollection>(
            _ population: C, weights: [Double]? = nil, cumWeights: [Double]? = nil, k: Int = 1
        ) throws -> [C.Element] {
            if weights == nil, cumWeights == nil { return try choices(population, k: k) }
            if weights != nil, cumWeights != nil {
                throw PythonError("TypeError", "Cannot specify both weights and cumulative weights")
            }
            let sums = cumWeights ?? (weights ?? []).reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
            let n = population.count
            guard sums.count == n else {
                throw PythonError("ValueError", "The number of weights does not match the population")
            }
            let total = (sums.last ?? 0) + 0.0
            guard total > 0 else { throw PythonError("ValueError", "Total of weights must be greater than zero") }
            guard total.isFinite else { throw PythonError("ValueError", "Total of weights must be finite") }
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
                throw PythonError("IndexError", "list index out of range")
            }
            let n = Double(population.count)
            return withState { state in
                (0..<max(0, k)).map { _ in
                    let offset = Int((Self.random(&state.twister) * n).rounded(.down))
                    return population[population.index(population.startIndex, offsetBy: offset)]
                }
            }
        }

        // MARK: Distributions

        /// `uniform(a, b)`: `a + (b - a) * random()`.
        public func uniform(_ a: Double, _ b: Double) -> Double {
            a + (b - a) * random()
        }

        /// `gauss(mu=0.0, sigma=1.0)`: Box–Muller, the second value of each pair kept for the
        /// next call (`gauss_next`), as CPython's.
        public func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
            withState { state in
                let z: Double
                if let next = state.gaussNext {
                    z = next
                    state.gaussNext = nil
                } else {
                    let x2pi = Self.random(&state.twister) * (2 * Double.pi)
                    let g2rad = (-2.0 * Foundation.log(1.0 - Self.random(&state.twister))).squareRoot()
                    z = Foundation.cos(x2pi) * g2rad
                    state.gaussNext = Foundation.sin(x2pi) * g2rad
                }
                return mu + z * sigma
            }
        }

        /// `triangular(low=0.0, high=1.0, mode=None)`.
        public func triangular(_ low: Double = 0, _ high: Double = 1, mode: Double? = nil) -> Double {
            var u = random()
            guard high != low else { return low }  // CPython's ZeroDivisionError branch
            var c = mode.map { ($0 - low) / (high - low) } ?? 0.5
            var (low, high) = (low, high)
            if u > c {
                u = 1.0 - u
                c = 1.0 - c
                (low, high) = (high, low)
            }
            return low + (high - low) * (u * c).squareRoot()
        }

        /// `normalvariate(mu=0.0, sigma=1.0)`: Kinderman and Monahan's ratio method, as CPython's.
        public func normalvariate(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
            let magic = 4 * Foundation.exp(-0.5) / 2.0.squareRoot()
            return withState { state in
                while true {
                    let u1 = Self.random(&state.twister)
                    let u2 = 1.0 - Self.random(&state.twister)
                    let z = magic * (u1 - 0.5) / u2
                    if z * z / 4.0 <= -Foundation.log(u2) { return mu + z * sigma }
                }
            }
        }

        /// `randbytes(n)`: `getrandbits(n * 8).to_bytes(n, 'little')`.
        public func randbytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0 else { throw PythonError("ValueError", "number of bits must be non-negative") }
            let words = withState { Self.bitWords(n * 8, &$0.twister) }
            return (0..<n).map { UInt8(truncatingIfNeeded: words[$0 / 4] >> (8 * UInt32($0 % 4))) }
        }

        /// `expovariate(lambd)`: `-log(1 - random()) / lambd`.
        public func expovariate(_ lambd: Double) -> Double {
            -Foundation.log(1.0 - random()) / lambd
        }
    }
}
