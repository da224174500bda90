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
        struct State: Sendable {
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
        func withState<R>(_ body: (inout State) throws -> R) rethrows -> R {
            try state.withLock { slot in
                var current = slot ?? State(twister: MersenneTwister(key: Self.entropyKey(entropy)), gaussNext: nil)
                defer { slot = current }
                return try body(&current)
            }
        }
    }
}
