import Foundation
import Futures

/// What CPython spends on one iteration of a loop, on the machine nbrun runs on, so that a port
/// whose Swift computes the answer 20 times faster still spends (and prints) CPython's time.
///
/// The cost is measured, not typed in: the first time a cost is asked for on a machine, the
/// real `python3` (`NBRUN_PYTHON`, else the first on `PATH`) times the loop's statement with
/// `timeit` on `time.process_time` (CPU time, so other load on the machine barely moves it),
/// best of three, and the result is cached in `~/.cache/nbrun/cpython-costs.json` (or
/// `$XDG_CACHE_HOME/nbrun/`), keyed by the statement, the Python version and the CPU model:
/// another machine, a new Python or an edited statement measures again. `spend(iterations:)`
/// then burns that much of the calling thread's CPU time holding the GIL, calling
/// `evalBreaker()` as the loop's backward jump would, so under load the wall time stretches as
/// CPython's does. Without a `python3` (nbrun's usual case on a student's machine), the port's
/// `fallbackNanoseconds` is used, measured by its author on theirs: `source` says which.
///
/// A port declares its costs with its demo (`Declaration`, `Demo(costs:)`): the engine then
/// measures them before the run's cells start, so no cell spends the measurement in its time.
///
/// ```swift
/// // for i in range(2, int(n ** 0.5) + 1):
/// //     if n % i == 0: return False
/// static let trialDivision = CPythonCost.Declaration(
///     statement: "for i in range(2, 1002):\n    if n % i == 0: pass", setup: "n = 1_000_003",
///     iterationsPerStatement: 1000, fallbackNanoseconds: 31.7)
/// ...
/// trialDivision.cost.spend(iterations: divisorsTried)
/// ```
public struct CPythonCost: Sendable, Equatable {
    /// CPU seconds one iteration costs CPython.
    public let secondsPerIteration: Double
    /// Where `secondsPerIteration` came from.
    public let source: Source

    /// How a cost was found: measured, cached or the port's fallback.
    public enum Source: Sendable, Equatable {
        /// Measured now with this `python3`.
        case measured(python: String)
        /// Read from the cache, measured earlier on this machine.
        case cached
        /// No `python3` to measure with: the port's own figure.
        case fallback
    }

    /// A cost as `of` finds it.
    package init(secondsPerIteration: Double, source: Source) {
        self.secondsPerIteration = secondsPerIteration
        self.source = source
    }

    /// The cost of one iteration, as the real python3 spends it on this machine (measured
    /// once, then cached; see the type's comment): `statement` run after `setup`, divided by
    /// `iterationsPerStatement`. Time the loop as the cell writes it, with values like the
    /// cell's (an `n % i` of large ints allocates; of small ones it does not), e.g.
    /// `"for i in range(2, 1002):\n    if n % i == 0: pass"` with 1000 iterations.
    ///
    /// Called in a running cell for a cost not measured yet, the measurement (about a second
    /// of python3) happens there, in the cell's time and its printed timings: declare the
    /// cost with the demo instead (`Declaration`), which the engine measures before the
    /// cell's clock starts. Costs asked for this way still work, measured as they are asked.
    public static func of(
        statement: String, setup: String = "", iterationsPerStatement: Int = 1, fallbackNanoseconds: Double,
        cacheFile: URL? = nil
    ) -> CPythonCost {
        let file = cacheFile ?? defaultCacheFile
        let fallback = CPythonCost(secondsPerIteration: fallbackNanoseconds * 1e-9, source: .fallback)
        // No lock is held while python3 runs: the wait releases the cell's GIL, and a thread
        // that took it meanwhile may ask for a cost too. Two cells may then measure the same
        // loop at once; the later result wins, both are measurements.
        guard let python = pythonExecutable, let version = version(of: python, caching: file) else { return fallback }
        let per = max(1, iterationsPerStatement)
        let key = [statement, setup, String(per), version, cpuModel].joined(separator: "\u{1f}")
        if let seconds = memo.withLock({ $0[key] }) ?? read([String: Double].self, file)[key] {
            memo.withLock { $0[key] = seconds }
            return CPythonCost(secondsPerIteration: seconds, source: .cached)
        }
        guard let seconds = measure(python, statement: statement, setup: setup).map({ $0 / Double(per) }) else {
            return fallback
        }
        memo.withLock { $0[key] = seconds }
        var cache = read([String: Double].self, file)
        cache[key] = seconds
        write(cache, to: file)
        return CPythonCost(secondsPerIteration: seconds, source: .measured(python: python))
    }

    /// `sys.version` of `python`: asked once per machine and executable, then kept in
    /// `python-versions.json` beside the cost cache (by the executable's real path, size and
    /// modification time), so a child process reading a calibrated cost runs no python3.
    private static func version(of python: String, caching costFile: URL) -> String? {
        if let known = versions.withLock({ $0[python] }) { return known }
        let file = costFile.deletingLastPathComponent().appendingPathComponent("python-versions.json")
        let identity = executableIdentity(python)
        if let identity, let known = read([String: String].self, file)[identity] {
            versions.withLock { $0[python] = known }
            return known
        }
        guard let text = run(python, ["-c", "import sys; print(sys.version)"]) else { return nil }
        let version = text.trimmingCharacters(in: .whitespacesAndNewlines)
        versions.withLock { $0[python] = version }
        if let identity {
            var known = read([String: String].self, file)
            known[identity] = version
            write(known, to: file)
        }
        return version
    }

    /// The executable behind `python` (symbolic links followed) as its path, size and
    /// modification time: a new Python installed there is another identity.
    private static func executableIdentity(_ python: String) -> String? {
        let real = URL(fileURLWithPath: python).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real),
            let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return [real, size.stringValue, String(modified.timeIntervalSince1970)].joined(separator: "\u{1f}")
    }

    /// Spends what CPython spends on `iterations` iterations at once: that much of the
    /// calling thread's CPU time, holding the GIL and calling `evalBreaker()` as the loop
    /// would. For many small amounts (one call per item), add them to a `CPythonTime`.
    public func spend(iterations: Int) {
        var time = CPythonTime()
        time.spend(self, iterations: iterations)
        time.settle()
    }

    // MARK: Measuring

    /// `timeit` on CPU time: enough iterations for about 0.2 s, best of three, per iteration.
    private static func measure(_ python: String, statement: String, setup: String) -> Double? {
        let script = """
            import sys, time, timeit
            t = timeit.Timer(sys.argv[1], sys.argv[2], timer=time.process_time)
            number, _ = t.autorange()
            number = max(number, 1)
            print(min(t.repeat(repeat=3, number=number)) / number)
            """
        guard let text = run(python, ["-c", script, statement, setup]),
            let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), seconds > 0
        else { return nil }
        return seconds
    }

    /// Runs python3 with the calling cell's GIL released (a blocking wait); its stdout, or nil
    /// when it fails.
    private static func run(_ python: String, _ arguments: [String]) -> String? {
        Ambient.blocking {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static var pythonExecutable: String? {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["NBRUN_PYTHON"], FileManager.default.isExecutableFile(atPath: chosen) {
            return chosen
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// `model name` of /proc/cpuinfo: a cost measured on one CPU is not another's.
    private static let cpuModel: String = {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { $0.split(separator: ":", maxSplits: 1).last.map(String.init) ?? "" }?
            .trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    }()

    // MARK: The cache

    /// Costs measured in this process, so a thousand copies of a cell measure once.
    private static let memo = Locked<[String: Double]>([:])
    private static let versions = Locked<[String: String]>([:])

    /// Forgets what this process measured or read, as a new process starts (for tests).
    static func forgetThisProcess() {
        memo.withLock { $0.removeAll() }
        versions.withLock { $0.removeAll() }
    }

    static var defaultCacheFile: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("nbrun/cpython-costs.json")
    }

    private static func read<Value: Decodable>(_ type: [String: Value].Type, _ file: URL) -> [String: Value] {
        guard let data = try? Data(contentsOf: file), let cache = try? JSONDecoder().decode(type, from: data)
        else { return [:] }
        return cache
    }

    /// Best effort (an unwritable cache only means measuring again next time), atomic, so
    /// two nbrun processes never leave half a file.
    private static func write<Value: Encodable>(_ cache: [String: Value], to file: URL) {
        try? FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(cache) else { return }
        try? data.write(to: file, options: .atomic)
    }
}

/// The CPU time a thread's loop owes to match CPython, paid as it goes: what the port adds
/// (`spend(cost, iterations:)`, for each call or each batch of iterations) is summed, and
/// once more than 0.1 ms is owed the thread burns until its CPU time since the start equals
/// the sum. The port's own computing counts toward it, and one check of the thread's CPU
/// clock (a system call, ~0.3 µs) is never paid per item, so a loop of 300,000 calls of
/// 190 ns spends 57 ms, not twice that.
///
/// ```swift
/// var cpython = CPythonTime()
/// for n in 0..<limit {
///     cpython.spend(isPrimeCall, iterations: 1)
///     ...
///     cpython.spend(trialDivision, iterations: divisorsTried)
/// }
/// cpython.settle()
/// ```
public struct CPythonTime: Sendable {
    private let start = time.threadTime()
    private var owed = 0.0
    private var paidUpTo = 0.0

    /// Nothing owed yet; the thread's CPU time counts from now.
    public init() {}

    /// Owes `iterations` times `cost`; burns what is owed once it passes 0.1 ms.
    public mutating func spend(_ cost: CPythonCost, iterations: Int) {
        owed += cost.secondsPerIteration * Double(max(0, iterations))
        if owed - paidUpTo >= 1e-4 { settle() }
    }

    /// Burns (holding the GIL, calling `evalBreaker()`) until the thread has spent all that is
    /// owed since this value was made.
    public mutating func settle() {
        while time.threadTime() - start < owed { evalBreaker() }
        paidUpTo = owed
    }
}
