import Foundation
import Futures
import Synchronization

/// Which stream a piece of captured output went to.
public enum StreamName: String, Sendable {
    case stdout, stderr
}

/// What a running demo sees of the world: its own output capture, its own random
/// generator and its own interpreter (GIL). One context per cell run; it is shared with
/// every thread the demo starts, so everything here is thread-safe.
public final class DemoContext: Sendable {
    /// This cell's emulated interpreter: the cell's threads take turns on its GIL, and on
    /// no other cell's.
    public let interpreter = PyInterpreter()
    /// Told of every write, on the writing thread, after it is captured (tests wait on it).
    private let onWrite: (@Sendable (StreamName, String) -> Void)?
    /// Captured text, in print order. The lock serialises appends from the demo's threads
    /// (`Locked`, not `Mutex`, so ThreadSanitizer can follow it).
    private let chunks = Locked<[(StreamName, String)]>([])
    /// Set when the engine gives up on the run (timeout): later prints are dropped.
    private let sealed = Atomic<Bool>(false)
    private let generator: Locked<SeededGenerator>

    /// - Parameters:
    ///   - seed: the generator's seed; the engine derives it from `--seed` and the cell,
    ///     or from the system's entropy when no seed is given.
    ///   - onWrite: told of each write once it is captured (for tests and tools).
    public init(seed: UInt64, onWrite: (@Sendable (StreamName, String) -> Void)? = nil) {
        generator = Locked(SeededGenerator(seed: seed))
        self.onWrite = onWrite
    }

    /// Python's `print(*items, sep=' ', end='\n')`, into this cell's stdout.
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        write(items.map { String(describing: $0) }.joined(separator: separator) + terminator, to: .stdout)
    }

    /// `print(..., file=sys.stderr)`, into this cell's stderr.
    public func printError(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        write(items.map { String(describing: $0) }.joined(separator: separator) + terminator, to: .stderr)
    }

    /// Appends text to one of the cell's streams; one call is never split or interleaved.
    public func write(_ text: String, to stream: StreamName) {
        guard !sealed.load(ordering: .acquiring) else { return }
        chunks.withLock { $0.append((stream, text)) }
        onWrite?(stream, text)
    }

    /// Python's `random.random()`: a uniform double in [0, 1) from this cell's generator.
    public func random() -> Double {
        generator.withLock { gen in
            Double(gen.next() >> 11) * 0x1.0p-53
        }
    }

    /// Python's `random.uniform(a, b)`: `a + (b - a) * random()`.
    public func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * random()
    }

    /// A fresh generator split off this cell's one: a demo gives one to each task it
    /// submits (in submission order) so draws do not depend on thread scheduling.
    public func splitGenerator() -> SeededGenerator {
        generator.withLock { SeededGenerator(seed: $0.next()) }
    }

    /// Stops capturing: whatever the demo prints from now on is dropped.
    public func seal() {
        sealed.store(true, ordering: .releasing)
    }

    /// SIGKILLs every worker process this cell started and refuses it new ones (for a cell
    /// abandoned by a timeout); other cells' workers live on.
    public func terminateChildProcesses() {
        interpreter.processScope.terminate()
    }

    /// The captured output so far, merged into runs of the same stream, in print order.
    public func capturedStreams() -> [(name: StreamName, text: String)] {
        chunks.withLock { list in
            var merged: [(name: StreamName, text: String)] = []
            for (name, text) in list {
                if let last = merged.last, last.name == name {
                    merged[merged.count - 1].text = last.text + text
                } else {
                    merged.append((name, text))
                }
            }
            return merged
        }
    }
}

/// SplitMix64: small, fast, and the same sequence on every machine for the same seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Python's `random.uniform(a, b)` on this generator.
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * (Double(next() >> 11) * 0x1.0p-53)
    }
}
