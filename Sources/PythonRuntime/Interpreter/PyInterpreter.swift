import Foundation
import Futures
import Processes
import Synchronization

/// An emulated Python interpreter: what a Jupyter kernel runs a cell in, reduced to what
/// the ports need from it, its GIL.
///
/// Every cell run gets its own (`DemoContext.interpreter`; `Demo.run` runs the port inside
/// it), since every cell stands for its own kernel: cells running side by side never take
/// turns with each other. Code outside any cell (a task in a process-pool worker process)
/// runs in `PyInterpreter.processWide`, one per OS process like CPython's.
///
/// The interpreter is an `Ambient` context of the Futures library, so a thread inside it:
/// - holds its GIL while it runs port code, and gives it up every `switchInterval` when
///   another thread asks, at the `evalBreaker()` calls a port makes in its compute loops;
/// - releases it in every blocking call: `sleep`, the `threading` and `queue` look-alikes'
///   waits (all built on `Monitor`), and the Futures waits (`result()`, `wait`, `asCompleted`, `shutdown(wait: true)`);
/// - passes it on to the threads it starts: `threading.Thread`s and the tasks it submits to a
///   `concurrent.futures.ThreadPoolExecutor` run inside the same interpreter and take the same GIL;
/// - owns the child processes its threads start (`processScope`): process pools and
///   `multiprocessing.Process`es created inside it can be ended with the cell.
public final class PyInterpreter: ProcessScopeCarrying {
    let gil: GIL
    /// Records what its threads do, when a timeline was asked for (`DemoContext`); else nil.
    package let timeline: TimelineRecorder?
    /// Its `threading` state: thread names, MainThread, the threads alive.
    let threads: ThreadRegistry
    /// The kernel it imitates (its threads, counters, paths); nil for a bare `python3`.
    public let kernel: KernelProfile?
    /// What a kernel does around the cells: interrupts, its event loop, its shutdown.
    let kernelState = KernelState()
    /// The running cell's file name (tracebacks) and the interpreter's `sys.stderr`.
    let cellPlace = CellPlace()
    /// The worker processes started from this interpreter (a cell's kernel and its children).
    package let processScope: ProcessScope
    /// CPU nanoseconds its threads used inside it (`cpuSeconds`).
    private let cpuUsed = Atomic<Int>(0)
    /// Unnamed `concurrent.futures.ThreadPoolExecutor`s made in it so far (`nextExecutorNumber`).
    private let executors = Atomic<Int>(0)
    /// Where unseeded `random.Random`s made in it take their seed: the cell's generator.
    let entropy: @Sendable () -> UInt64
    /// Its `random` module's shared instance (`random.seed`, `random.randint`, ...).
    let moduleRandom: random.Random

    /// The folder relative paths resolve against (`builtins.open`, `os.path`): the notebook's
    /// folder, where nbclient runs a kernel; the process's working directory otherwise.
    public let notebookFolder: String

    /// A new interpreter with its own GIL, like a new kernel; `DemoContext` makes one per cell.
    /// - Parameters:
    ///   - recordingTimeline: whether to record its threads' states (`timeline`).
    ///   - entropy: what unseeded `random` generators are seeded from (the cell's seeded
    ///     generator, so `--seed` fixes them too); the system's entropy by default.
    ///   - notebookFolder: the folder its code runs in (see `notebookFolder`); nil: the
    ///     process's working directory.
    ///   - kernel: the kernel process it imitates; nil (the default) for a bare `python3`.
    package init(
        recordingTimeline: Bool = false, entropy: (@Sendable () -> UInt64)? = nil, notebookFolder: String? = nil,
        kernel: KernelProfile? = nil
    ) {
        _ = runtimeExceptionsRegistered
        self.notebookFolder = notebookFolder ?? FileManager.default.currentDirectoryPath
        let entropy = entropy ?? random.Random.systemEntropy
        self.entropy = entropy
        moduleRandom = random.Random(entropy: entropy)
        self.kernel = kernel
        threads = ThreadRegistry(kernel: kernel)
        let timeline = recordingTimeline ? TimelineRecorder() : nil
        self.timeline = timeline
        gil = GIL(recorder: timeline)
        var observer: (@Sendable (Int32, String, Bool) -> Void)?
        if let timeline {
            observer = { pid, name, started in timeline.process(pid, name: name, started: started) }
        }
        // Its children start in the notebook's folder too, as a kernel's do.
        processScope = ProcessScope(observer: observer, workingDirectory: notebookFolder)
    }

    /// The interpreter of code that runs outside any cell, e.g. a process-pool worker
    /// process: one per OS process, so every worker process has a GIL of its own.
    package static let processWide = PyInterpreter()

    /// The interpreter the calling thread is inside, if any.
    package static var current: PyInterpreter? {
        Ambient.current as? PyInterpreter
    }

    /// Runs `body` on the calling thread inside this interpreter, holding its GIL (as a
    /// Python thread runs bytecode), and releases the GIL when `body` returns. The calling
    /// thread is the interpreter's MainThread meanwhile (`threading.current_thread()`).
    package func run<R>(_ body: () throws -> R) rethrows -> R {
        let slot = ThreadSlot.current
        let previous = slot.mainOf
        slot.mainOf = self
        threads.main.becameMain()
        defer { slot.mainOf = previous }
        return try Ambient.run(in: self, body)
    }

    /// CPU seconds that every thread has used inside this interpreter so far: the cell's
    /// own, its `threading.Thread`s, the workers running its executors' tasks. A thread's
    /// time counts when it leaves the interpreter (a thread still inside counts later).
    /// nbrun's admission learns a cell's need from it: a cell whose threads do the work
    /// (twelve threads fetching pages) uses next to no CPU on its own thread.
    package var cpuSeconds: Double { Double(cpuUsed.load(ordering: .relaxed)) / 1e9 }

    /// Whether the calling thread holds this interpreter's GIL right now.
    package var holdsGIL: Bool {
        gil.isHeldByCurrentThread
    }

    /// nbrun's GIL watchdog: a description of the stall when a thread has held this
    /// interpreter's GIL for `seconds` while others wait for it (see `GIL.Stall`), else nil.
    package func gilStall(after seconds: Double) -> String? {
        gil.stall(after: seconds)?.description
    }

    // MARK: AmbientContext

    /// `AmbientContext`: a thread entering the interpreter takes its GIL (nbrun calls these).
    package func enter() {
        gil.acquire()
        ThreadSlot.current.entered(self)
    }
    /// `AmbientContext`: a thread leaving the interpreter gives up one level of its GIL.
    package func exit() {
        if let cpu = ThreadSlot.current.left(self) { cpuUsed.add(cpu, ordering: .relaxed) }
        gil.release()
    }
    /// `AmbientContext`: before a blocking call, `Py_BEGIN_ALLOW_THREADS`: the GIL is released.
    package func willBlock() {
        if let timeline { timeline.record(ThreadSlot.current.waitKind ?? .future) }
        gil.releaseForBlocking()
        kernelState.willBlock(in: self)
    }
    /// `AmbientContext`: after a blocking call, `Py_END_ALLOW_THREADS`: the GIL is taken back
    /// (never, by an interrupted main thread or once the kernel has shut down: `KernelState`).
    package func didUnblock() {
        kernelState.didUnblock(in: self)
        gil.reacquireAfterBlocking()
    }
    /// `AmbientContext`: Python counts unnamed `concurrent.futures.ThreadPoolExecutor`s per process, and an
    /// interpreter stands for a kernel's process: its first one's threads are
    /// `ThreadPoolExecutor-0_0`, ... whatever else runs beside it.
    package func nextExecutorNumber() -> Int { executors.add(1, ordering: .relaxed).oldValue }
}

/// CPython's eval-breaker check: if another thread of this interpreter has been waiting a
/// whole switch interval for the GIL, hand it over and wait for a turn again. Ports call it
/// in compute loops, as CPython's eval loop checks between bytecodes. Cheap when nobody
/// waits anywhere (one relaxed atomic load); a no-op outside an interpreter.
@inline(__always)
public func evalBreaker() {
    guard GIL.pendingDropRequests.load(ordering: .relaxed) > 0 else { return }
    GIL.serveDropRequestOfHeld()
}

/// Runs `body` with the calling thread's GIL released, as native code between
/// `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS` does; takes it back afterwards.
/// Other threads of the interpreter run meanwhile, truly in parallel with `body`.
public func releasingGIL<R>(_ body: () throws -> R) rethrows -> R {
    try withWaitKind(.outsideGIL) { try Ambient.blocking(body) }
}
