import BigInt

/// Python's `random` module, as CPython 3.11 has it: `random.seed(42)` then
/// `random.randint(1, 10)` draws what CPython draws.
///
/// The module-level functions share one `Random` per interpreter (`random._inst`): one per
/// cell, or one for a whole session notebook, as one kernel has one. Unseeded, it seeds
/// itself from the running cell's generator at its first draw, so `--seed` still fixes a
/// run; outside any cell (a pool worker process) from the system's entropy.
public enum random {
    /// The shared instance of the calling thread's interpreter.
    static var shared: Random {
        PyInterpreter.current?.moduleRandom ?? outsideAnyInterpreter
    }

    private static let outsideAnyInterpreter = Random(entropy: Random.systemEntropy)

    /// `random.seed(a)` for an int.
    public static func seed(_ a: Int) { shared.seed(a) }
    /// `random.seed(a)` for an int beyond 64 bits.
    public static func seed(_ a: BigInt) { shared.seed(a) }
    /// `random.seed(a)` for a float (its `hash()`).
    public static func seed(_ a: Double) { shared.seed(a) }
    /// `random.seed(a)` for a str.
    public static func seed(_ a: String) { shared.seed(a) }
    /// `random.seed()`: from the running cell's generator.
    public static func seed() { shared.seed() }

    /// `random.random()`.
    public static func random() -> Double { shared.random() }
    /// `random.getrandbits(k)`.
    public static func getrandbits(_ k: Int) throws -> BigInt { try shared.getrandbits(k) }
    /// `random.randrange(stop)`.
    public static func randrange(_ stop: Int) throws -> Int { try shared.randrange(stop) }
    /// `random.randrange(start, stop, step=1)`.
    public static func randrange(_ start: Int, _ stop: Int, _ step: Int = 1) throws -> Int {
        try shared.randrange(start, stop, step)
    }
    /// `random.randint(a, b)`.
    public static func randint(_ a: Int, _ b: Int) throws -> Int { try shared.randint(a, b) }
    /// `random.randrange(start, stop, step=1)` over ints of any size.
    public static func randrange(_ start: BigInt, _ stop: BigInt, _ step: BigInt = 1) throws -> BigInt {
        try shared.randrange(start, stop, step)
    }
    /// `random.randint(a, b)` over ints of any size.
    public static func randint(_ a: BigInt, _ b: BigInt) throws -> BigInt { try shared.randint(a, b) }
    /// `random.choice(seq)`.
    public static func choice<C: RandomAccessCollection>(_ seq: C) throws -> C.Element { try shared.choice(seq) }
    /// `random.choices(population, k=1)`, equal weights.
    public static func choices<C: RandomAccessCollection>(_ population: C, k: Int = 1) throws -> [C.Element] {
        try shared.choices(population, k: k)
    }
    /// `random.choices(population, weights=None, *, cum_weights=None, k=1)`.
    public static func choices<C: RandomAccessCollection>(
        _ population: C, weights: [Double]? = nil, cumWeights: [Double]? = nil, k: Int = 1
    ) throws -> [C.Element] {
        try shared.choices(population, weights: weights, cumWeights: cumWeights, k: k)
    }
    /// `random.shuffle(x)`.
    public static func shuffle<C: MutableCollection & RandomAccessCollection>(_ x: inout C) { shared.shuffle(&x) }
    /// `random.sample(population, k)`.
    public static func sample<C: RandomAccessCollection>(_ population: C, k: Int) throws -> [C.Element] {
        try shared.sample(population, k: k)
    }
    /// `random.uniform(a, b)`.
    public static func uniform(_ a: Double, _ b: Double) -> Double { shared.uniform(a, b) }
    /// `random.gauss(mu=0.0, sigma=1.0)`.
    public static func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double { shared.gauss(mu, sigma) }
    /// `random.triangular(low=0.0, high=1.0, mode=None)`.
    public static func triangular(_ low: Double = 0, _ high: Double = 1, mode: Double? = nil) -> Double {
        shared.triangular(low, high, mode: mode)
    }
    /// `random.normalvariate(mu=0.0, sigma=1.0)`.
    public static func normalvariate(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        shared.normalvariate(mu, sigma)
    }
    /// `random.randbytes(n)`.
    public static func randbytes(_ n: Int) throws -> [UInt8] { try shared.randbytes(n) }
    /// `random.expovariate(lambd)`.
    public static func expovariate(_ lambd: Double) -> Double { shared.expovariate(lambd) }
}
