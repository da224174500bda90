import Foundation

extension CPythonCost {
    /// A cost a port declares with its demo (`Demo(..., costs: [...])`), so that the engine
    /// measures it before the cells of a run start their clocks: the first use on a machine
    /// runs python3's `timeit` for about a second, which a cell asking for the cost itself
    /// (`CPythonCost.of`) would spend in its own time and print in its timings. The cell then
    /// reads `cost`, which the calibration has left in memory: no python3 runs in the cell.
    ///
    /// ```swift
    /// enum Primes {
    ///     static let trialDivision = CPythonCost.Declaration(
    ///         statement: "for i in range(2, 1002):\n    if n % i == 0: pass", setup: "n = 1_000_003",
    ///         iterationsPerStatement: 1000, fallbackNanoseconds: 31.7)
    /// }
    /// Demo(notebook: "04-cpu", name: "primes", fingerprint: "...", load: .oneCore,
    ///      costs: [Primes.trialDivision]) { context in
    ///     let trialDivision = Primes.trialDivision.cost
    ///     ...
    /// }
    /// ```
    public struct Declaration: Sendable, Hashable {
        /// The loop's statement, timed by `timeit` after `setup`.
        public let statement: String
        /// What `timeit` runs once before timing `statement`.
        public let setup: String
        /// How many of the port's iterations one run of `statement` makes.
        public let iterationsPerStatement: Int
        /// The port author's figure, used where no python3 can measure.
        public let fallbackNanoseconds: Double
        /// Where costs are cached; nil for `~/.cache/nbrun/cpython-costs.json`.
        public let cacheFile: URL?

        /// Declares the cost `CPythonCost.of` would measure with the same arguments.
        public init(
            statement: String, setup: String = "", iterationsPerStatement: Int = 1, fallbackNanoseconds: Double,
            cacheFile: URL? = nil
        ) {
            self.statement = statement
            self.setup = setup
            self.iterationsPerStatement = iterationsPerStatement
            self.fallbackNanoseconds = fallbackNanoseconds
            self.cacheFile = cacheFile
        }

        /// The cost: from memory once calibrated (source `.cached`, or `.fallback` without a
        /// python3). Not calibrated (the demo does not declare it), it is measured here, as
        /// `CPythonCost.of` measures, in the calling cell's time on first use on a machine.
        public var cost: CPythonCost {
            CPythonCost.of(
                statement: statement, setup: setup, iterationsPerStatement: iterationsPerStatement,
                fallbackNanoseconds: fallbackNanoseconds, cacheFile: cacheFile)
        }

        /// Measures the declared costs not known yet (neither in memory nor in the cache), one
        /// after the other so they do not load each other's measurement; each declaration once.
        /// The engine calls it before a run's first cell starts. Returns each one's cost as
        /// found now (`.measured` when measured here), in the order given.
        @discardableResult
        public static func calibrate(_ declarations: [Declaration]) -> [CPythonCost] {
            var found: [Declaration: CPythonCost] = [:]
            return declarations.map { declaration in
                if let known = found[declaration] { return known }
                let cost = declaration.cost
                found[declaration] = cost
                return cost
            }
        }
    }
}
