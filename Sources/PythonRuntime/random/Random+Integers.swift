import BigInt
import Futures

extension random.Random {
    /// `randrange(stop)`.
    public func randrange(_ stop: Int) throws -> Int {
        guard stop > 0 else { throw builtins.ValueError("empty range for randrange()") }
        return withState { Self.randbelow(stop, &$0.twister) }
    }

    /// `randrange(start, stop, step=1)`, with CPython's `ValueError`s. A range wider than
    /// `Int` holds is drawn as Python draws it, through `BigInt`.
    public func randrange(_ start: Int, _ stop: Int, _ step: Int = 1) throws -> Int {
        let (width, overflow) = stop.subtractingReportingOverflow(start)
        guard step == 1, !overflow else {
            // The result lies in the range, so it fits an Int.
            return Int(try randrange(BigInt(start), BigInt(stop), BigInt(step)))
        }
        guard width > 0 else {
            throw builtins.ValueError("empty range for randrange() (\(start), \(stop), \(width))")
        }
        return start + withState { Self.randbelow(width, &$0.twister) }
    }

    /// `randint(a, b)`: `randrange(a, b + 1)`.
    public func randint(_ a: Int, _ b: Int) throws -> Int {
        b == .max ? Int(try randint(BigInt(a), BigInt(b))) : try randrange(a, b + 1)
    }

    /// `randrange(start, stop, step=1)` over ints of any size.
    public func randrange(_ start: BigInt, _ stop: BigInt, _ step: BigInt = 1) throws -> BigInt {
        let width = stop - start
        if step == 1 {
            guard width > 0 else {
                throw builtins.ValueError("empty range for randrange() (\(start), \(stop), \(width))")
            }
            return start + withState { Self.randbelow(width, &$0.twister) }
        }
        guard step != 0 else { throw builtins.ValueError("zero step for randrange()") }
        let n = Self.floorDivide(step > 0 ? width + step - 1 : width + step + 1, step)
        guard n > 0 else { throw builtins.ValueError("empty range for randrange()") }
        return start + step * withState { Self.randbelow(n, &$0.twister) }
    }

    /// `randint(a, b)` over ints of any size.
    public func randint(_ a: BigInt, _ b: BigInt) throws -> BigInt {
        try randrange(a, b + 1)
    }

    /// `_randbelow_with_getrandbits(n)` for `n > 0`: `getrandbits(n.bit_length())` until below `n`.
    static func randbelow(_ n: BigInt, _ twister: inout MersenneTwister) -> BigInt {
        let k = n.magnitude.bitWidth  // BigUInt's is the bit length already
        while true {
            let r = BigInt(BigUInt(words: pairs(bitWords(k, &twister))))
            if r < n { return r }
        }
    }

    /// Python's `//`: the quotient rounded toward negative infinity.
    static func floorDivide(_ a: BigInt, _ b: BigInt) -> BigInt {
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        return remainder != 0 && (a < 0) != (b < 0) ? quotient - 1 : quotient
    }
}
