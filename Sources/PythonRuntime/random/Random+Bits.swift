import BigInt
import Futures

extension random.Random {
    /// `random()`: a float in [0, 1) of 53 random bits, from two 32-bit draws.
    public func random() -> Double {
        withState { Self.random(&$0.twister) }
    }

    static func random(_ twister: inout MersenneTwister) -> Double {
        let a = Double(twister.next() >> 5)
        let b = Double(twister.next() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `getrandbits(k)`: an int of `k` random bits (`ValueError` for a negative `k`).
    public func getrandbits(_ k: Int) throws -> BigInt {
        guard k >= 0 else { throw builtins.ValueError("number of bits must be non-negative") }
        let words = withState { Self.bitWords(k, &$0.twister) }
        return BigInt(BigUInt(words: Self.pairs(words)))
    }

    /// CPython's `_random_Random_getrandbits_impl`: 32-bit words, least significant first,
    /// the last one cut to the bits left.
    static func bitWords(_ k: Int, _ twister: inout MersenneTwister) -> [UInt32] {
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

    static func pairs(_ words: [UInt32]) -> [UInt] {
        stride(from: 0, to: words.count, by: 2).map { index in
            let high = index + 1 < words.count ? UInt(words[index + 1]) << 32 : 0
            return high | UInt(words[index])
        }
    }

    /// `_randbelow_with_getrandbits(n)` for `n > 0`: `getrandbits(n.bit_length())` until below `n`.
    static func randbelow(_ n: Int, _ twister: inout MersenneTwister) -> Int {
        let k = Int.bitWidth - n.leadingZeroBitCount
        while true {
            let words = bitWords(k, &twister)
            let r = words.enumerated().reduce(0) { $0 | Int($1.element) << (32 * $1.offset) }
            if r < n { return r }
        }
    }

    /// `randbytes(n)`: `getrandbits(n * 8).to_bytes(n, 'little')`.
    public func randbytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0 else { throw builtins.ValueError("number of bits must be non-negative") }
        let words = withState { Self.bitWords(n * 8, &$0.twister) }
        return (0..<n).map { UInt8(truncatingIfNeeded: words[$0 / 4] >> (8 * UInt32($0 % 4))) }
    }
}
