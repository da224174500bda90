import Foundation
import Futures
import Synchronization

/// Which stream a piece of captured output went to.
public enum StreamName: String, Sendable {
    case stdout, stderr
}

/// What a running demo sees of the world: its own output capture, its own random
/// generator and its own interpreter (GIL). One context per cell run, or one per run of a
/// notebook written step by step (a session: every cell, and every thread they start, in
/// one interpreter; `beginCell`/`endCell` mark where each cell's output begins and ends).
/// It is shared with every thread the demo starts, so everything here is thread-safe.
public final class DemoContext: Sendable {
    /// This cell's (or session's) emulated interpreter: its threads take turns on its GIL,
    /// and on no other cell's.
    public let interpreter: PyInterpreter
    /// Told of every write, on the writing thread, after it is captured (tests wait on it).
    private let onWrite: (@Sendable (StreamName, String) -> Void)?
    /// The running cell's output, in print order, and whether a cell is running at all. The
    /// lock serialises appends from the demo's threads (`Locked`, not `Mutex`, so
    /// ThreadSanitizer can follow it).
    private let capture = Locked<(outputs: [CapturedOutput], open: Bool)>(([], true))
    /// Set when the engine gives up on the run (timeout): later prints are dropped.
    private let sealed = Atomic<Bool>(false)
    private let generator: Locked<SeededGenerator>

    /// - Parameters:
    ///   - seed: the generator's seed; the engine derives it from `--seed` and the cell,
    ///     or from the system's entropy when no seed is given.
    ///   - recordingTimeline: whether its interpreter records a timeline of its threads
    ///     (`interpreter.timeline`); off by default, so nothing is recorded.
    ///   - notebookFolder: the folder of the cell's notebook, which relative paths resolve
    ///     against as in a kernel nbclient started there (`builtins.open`); nil: the process's
    ///     working directory.
    ///   - onWrite: told of each write once it is captured (for tests and tools).
    ///   - kernel: the kernel process its interpreter imitates (`KernelProfile`); nil for a
    ///     bare `python3`.
    public init(
        seed: UInt64, recordingTimeline: Bool = false, notebookFolder: String? = nil, kernel: KernelProfile? = nil,
        onWrite: (@Sendable (StreamName, String) -> Void)? = nil
    ) {
        let generator = Locked(SeededGenerator(seed: seed))
        self.generator = generator
        interpreter = PyInterpreter(
            recordingTimeline: recordingTimeline, entropy: { generator.withLock { $0.next() } },
            notebookFolder: notebookFolder, kernel: kernel)
        self.onWrite = onWrite
        interpreter.cellPlace.setStandardError { [weak self] in self?.write($0, to: .stderr) }
        // What its worker processes write reaches the running cell, as under ipykernel.
        interpreter.processScope.captureOutput { [weak self] isError, text in
            self?.write(text, to: isError ? .stderr : .stdout)
        }
    }

    /// The notebook's folder: the kernel's working directory under nbclient, which relative
    /// paths resolve against (`builtins.open("data.csv")`).
    public var notebookFolder: String { interpreter.notebookFolder }

    /// Python's `print(*items, sep=' ', end='\n')`, into the running cell's stdout: each
    /// item as Python's `str()` writes it (`pythonStr`: `True`, `None`, `['a']`).
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        write(items.map(pythonStr).joined(separator: separator) + terminator, to: .stdout)
    }

    /// `print(..., file=sys.stderr)`, into the running cell's stderr.
    public func printError(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        write(items.map(pythonStr).joined(separator: separator) + terminator, to: .stderr)
    }

    /// Appends text to one of the running cell's streams; one call is never split or
    /// interleaved. In a session, what a thread writes goes to the cell running at that
    /// moment, whichever cell started the thread; while no cell runs it is dropped, as
    /// nbclient drops it (docs/sessions.md).
    public func write(_ text: String, to stream: StreamName) {
        guard append(.stream(stream, text)) else { return }
        onWrite?(stream, text)
    }

    /// IPython's `display(obj)`: a `display_data` output in the running cell.
    public func display(_ data: DisplayData) {
        _ = append(.display(data))
    }

    /// Records the cell's value (`Out[n]`) where the cell's output stands now; `.none`
    /// shows nothing, as IPython's displayhook shows nothing for `None`.
    public func recordValue(_ value: PyValue) {
        guard value != .none else { return }
        _ = append(.value(value))
    }

    private func append(_ output: CapturedOutput) -> Bool {
        guard !sealed.load(ordering: .acquiring) else { return false }
        return capture.withLock { state in
            guard state.open else { return false }
            state.outputs.append(output)
            return true
        }
    }

    /// A session's next cell begins: its output is captured from now on, and its generator
    /// starts from `seed`.
    package func beginCell(seed: UInt64) {
        generator.withLock { $0 = SeededGenerator(seed: seed) }
        capture.withLock { $0 = ([], true) }
    }

    /// A session's cell has ended: returns its output (streams merged as `capturedOutputs`
    /// merges them); until the next `beginCell`, whatever is printed is dropped.
    package func endCell() -> [CapturedOutput] {
        let outputs = capture.withLock { state in
            defer { state = ([], false) }
            return state.outputs
        }
        return Self.merged(outputs)
    }

    /// A uniform double in [0, 1) from this cell's generator. Not CPython's sequence: a cell
    /// that seeds `random` and prints what it draws uses `random.random()` (the `random` namespace).
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
    package func seal() {
        sealed.store(true, ordering: .releasing)
    }

    /// SIGKILLs every worker process this cell started and refuses it new ones (for a cell
    /// abandoned by a timeout); other cells' workers live on.
    package func terminateChildProcesses() {
        interpreter.processScope.terminate()
    }

    /// The captured output so far, in print order, runs of the same stream merged into one.
    package func capturedOutputs() -> [CapturedOutput] {
        Self.merged(capture.withLock { $0.outputs })
    }

    /// The captured streams so far (displays and values left out), merged into runs of the
    /// same stream, in print order: what a course's tests compare with the cell's output.
    public func capturedStreams() -> [(name: StreamName, text: String)] {
        var merged: [(name: StreamName, text: String)] = []
        for case .stream(let name, let text) in capture.withLock({ $0.outputs }) {
            if let last = merged.last, last.name == name {
                merged[merged.count - 1].text = last.text + text
            } else {
                merged.append((name, text))
            }
        }
        return merged
    }

    /// Consecutive writes to one stream become one output, as nbclient appends them.
    private static func merged(_ outputs: [CapturedOutput]) -> [CapturedOutput] {
        var result: [CapturedOutput] = []
        for output in outputs {
            if case .stream(let name, let text) = output, case .stream(let lastName, let lastText)? = result.last,
                lastName == name
            {
                result[result.count - 1] = .stream(name, lastText + text)
            } else {
                result.append(output)
            }
        }
        return result
    }
}

/// SplitMix64: small, fast, and the same sequence on every machine for the same seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    package init(seed: UInt64) {
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
