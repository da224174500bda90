extension multiprocessing {
    /// The two arguments of a function that `Pool.starmap` calls, as Python unpacks each
    /// tuple into the call (`pool.starmap(pow, [(2, 3)])` calls `pow(2, 3)`).
    public struct ArgumentPair<First: Codable & Sendable, Second: Codable & Sendable>: Codable, Sendable {
        /// The first argument.
        public let first: First
        /// The second argument.
        public let second: Second

        /// The pair `(first, second)`.
        public init(_ first: First, _ second: Second) {
            self.first = first
            self.second = second
        }
    }
}

extension RemoteFunction {
    /// A function of two arguments, for `Pool.starmap` (Python's `def pow(a, b):`).
    public init<First, Second>(_ name: String, _ body: @escaping @Sendable (First, Second) throws -> Output)
    where Argument == multiprocessing.ArgumentPair<First, Second> {
        self.init(name) { (pair: Argument) in try body(pair.first, pair.second) }
    }
}
