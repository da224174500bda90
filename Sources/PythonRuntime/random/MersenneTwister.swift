/// MT19937 as CPython's `_randommodule.c` has it: `init_genrand`, `init_by_array` and
/// `genrand_uint32`, word for word, so a seed gives CPython's numbers.
struct MersenneTwister: Sendable {
    private static let size = 624
    private static let shift = 397
    private static let matrixA: UInt32 = 0x9908_B0DF
    private static let upperMask: UInt32 = 0x8000_0000
    private static let lowerMask: UInt32 = 0x7FFF_FFFF

    private var state = [UInt32](repeating: 0, count: MersenneTwister.size)
    private var index = MersenneTwister.size + 1

    /// `init_by_array(key)`: how CPython seeds from an int (its 32-bit words, least
    /// significant first) and from the operating system's entropy.
    init(key: [UInt32]) {
        initGenrand(19_650_218)
        let key = key.isEmpty ? [0] : key
        var i = 1
        var j = 0
        for _ in 0..<max(Self.size, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= Self.size {
                state[0] = state[Self.size - 1]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(Self.size - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= Self.size {
                state[0] = state[Self.size - 1]
                i = 1
            }
        }
        state[0] = 0x8000_0000  // MSB is 1, assuring a non-zero initial array
    }

    private mutating func initGenrand(_ seed: UInt32) {
        state[0] = seed
        for i in 1..<Self.size {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.size
    }

    /// `genrand_uint32`: the next 32 random bits.
    mutating func next() -> UInt32 {
        if index >= Self.size { generate() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        return y ^ (y >> 18)
    }

    private mutating func generate() {
        func twisted(_ upper: UInt32, _ lower: UInt32, _ far: UInt32) -> UInt32 {
            let y = (upper & Self.upperMask) | (lower & Self.lowerMask)
            return far ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : Self.matrixA)
        }
        for k in 0..<(Self.size - Self.shift) {
            state[k] = twisted(state[k], state[k + 1], state[k + Self.shift])
        }
        for k in (Self.size - Self.shift)..<(Self.size - 1) {
            state[k] = twisted(state[k], state[k + 1], state[k + Self.shift - Self.size])
        }
        state[Self.size - 1] = twisted(state[Self.size - 1], state[0], state[Self.shift - 1])
        index = 0
    }
}
