import Foundation
import Futures
import Synchronization
import SystemCalls

/// What a kernel does around a notebook's cells that a bare interpreter does not: it can be
/// interrupted (`KeyboardInterrupt` in the main thread, wherever that thread waits), and it
/// shuts down after the last cell, its leftover threads ending with it.
///
/// nbrun cannot unwind a Swift stack from outside, so both are done at the GIL: every wait
/// of every look-alike goes through `PyInterpreter.willBlock`/`didUnblock` (`Ambient.blocking`),
/// and a thread that is given up on (the interrupted main thread; every thread once the
/// kernel has shut down) never gets the GIL back: it parks for good, using no CPU, when its
/// wait ends. Its cell's remaining code never runs, as CPython's unwinding skips it.
final class KernelState: Sendable {
    private struct State {
        /// The main thread's current wait: its ident and what it waits on.
        var mainWait: (ident: Int, kind: ThreadState?)?
        /// An interrupt asked for while the main thread was not waiting: it lands at its next wait.
        var pendingInterrupt = false
        /// Threads given up on (interrupted main threads), by ident.
        var abandoned: Set<Int> = []
        var shutDown = false
    }

    private let state = Locked(State())
    /// The notebook's event loop, made by the first top-level `await`.
    private let loop = Locked<NotebookLoop?>(nil)
    /// Set once anything is given up on, so that `didUnblock` costs one load otherwise.
    private let givingUp = Atomic<Bool>(false)

    /// A thread is about to block (its GIL just released).
    func willBlock(in interpreter: PyInterpreter) {
        let slot = ThreadSlot.current
        guard slot.thread == nil, slot.mainOf === interpreter else { return }
        let me = threading.getIdent()
        let interrupted = state.withLock { s in
            s.mainWait = (me, slot.waitKind)
            guard s.pendingInterrupt else { return false }
            s.pendingInterrupt = false
            s.abandoned.insert(me)
            return true
        }
        if interrupted { Self.park() }
    }

    /// A thread's wait has ended, before it takes the GIL back. Other threads than the main
    /// one pay a thread-local read and one atomic load here, as long as nothing is given up.
    func didUnblock(in interpreter: PyInterpreter) {
        if givingUp.load(ordering: .acquiring) {
            let me = threading.getIdent()
            let parks = state.withLock { $0.shutDown || $0.abandoned.contains(me) }
            if parks { Self.park() }
        }
        let slot = ThreadSlot.current
        guard slot.thread == nil, slot.mainOf === interpreter else { return }
        let me = threading.getIdent()
        state.withLock { s in
            if s.mainWait?.ident == me { s.mainWait = nil }
        }
    }

    /// Interrupts the main thread: if it waits now, or starts waiting within `grace`
    /// seconds, it is given up on and where it waits is returned; else nil.
    func interruptMainThread(grace: TimeInterval) -> Interruption? {
        let deadline = Date(timeIntervalSinceNow: grace)
        givingUp.store(true, ordering: .releasing)
        var asked = false
        while true {
            let landed: Interruption? = state.withLock { s in
                if let wait = s.mainWait, s.abandoned.contains(wait.ident) || !asked {
                    s.abandoned.insert(wait.ident)
                    s.pendingInterrupt = false
                    return Interruption(waitingOn: wait.kind)
                }
                if !asked { s.pendingInterrupt = true }
                return nil
            }
            if let landed { return landed }
            asked = true
            if Date() >= deadline {
                state.withLock { $0.pendingInterrupt = false }
                return nil
            }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// The notebook's event loop, made (and served from then on) at the first call.
    func notebookLoop(make: () -> NotebookLoop) -> NotebookLoop {
        loop.withLock { existing in
            if let existing { return existing }
            let made = make()
            existing = made
            return made
        }
    }

    /// The loop, if a cell has made it.
    var existingLoop: NotebookLoop? { loop.withLock { $0 } }

    /// Cells entered so far (`PyInterpreter.enterCell`).
    private let cells = Locked(0)

    /// A cell is entered: returns how many were before it.
    func countCell() -> Int {
        cells.withLock {
            $0 += 1
            return $0 - 1
        }
    }

    var cellsEntered: Int { cells.withLock { $0 } }

    /// The kernel has shut down: a thread whose wait ends from now on never runs again.
    func shutDown() {
        loop.withLock { $0?.stop() }
        givingUp.store(true, ordering: .releasing)
        state.withLock { $0.shutDown = true }
    }

    var isShutDown: Bool { state.withLock { $0.shutDown } }

    /// Blocks the calling thread for good, using no CPU; it ends with the process.
    static func park() -> Never {
        let never = DispatchSemaphore(value: 0)
        while true { never.wait() }
    }
}

/// Where an interrupted main thread was waiting, for the traceback.
public struct Interruption: Sendable, Equatable {
    /// What it waited on (`.join`, `.lock`, `.sleep`, ...); nil for a wait nothing names.
    public let waitingOn: ThreadState?
}

extension PyInterpreter {
    /// nbclient's `interrupt_on_timeout`: raises `KeyboardInterrupt` in the main thread
    /// where it waits, as a kernel's SIGINT does. Returns where it waited, or nil if it did
    /// not start waiting within `grace` seconds (it computes: nbrun cannot stop it there).
    /// The main thread is then given up on: it never takes the GIL back.
    public func interruptMainThread(grace: TimeInterval = 1) -> Interruption? {
        kernelState.interruptMainThread(grace: grace)
    }

    /// The kernel shuts down (after a notebook's last cell): its threads that still run
    /// never get the GIL back once they give it up, and use no CPU from then on.
    public func shutDown() {
        kernelState.shutDown()
        gil.shutDown()
    }

    /// The threads started in this interpreter and still alive (not MainThread, not the
    /// kernel's own), oldest first.
    public var startedThreads: [threading.Thread] {
        threads.started
    }
}

/// What the kernel knows of the running cell and where `sys.stderr` goes.
final class CellPlace: Sendable {
    private let state = Locked<(file: String?, stderr: (@Sendable (String) -> Void)?)>((nil, nil))

    var file: String? {
        get { state.withLock { $0.file } }
        set { state.withLock { $0.file = newValue } }
    }

    func setStandardError(_ write: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.stderr = write }
    }

    func writeStandardError(_ text: String) {
        let write = state.withLock { $0.stderr }
        if let write { write(text) } else { Syscall.writeToStandardError(text) }
    }
}

extension PyInterpreter {
    /// The kernel finishing a cell whose code has returned (docs/sessions.md): its main
    /// thread runs on for a moment (IPython's post-execute work, the reply, flushing the
    /// streams) before the kernel goes idle, and the threads the cell's last statements woke
    /// run meanwhile, their output still the cell's. nbrun waits at least `minimum` seconds,
    /// then as long as one of the interpreter's threads runs or is about to: it holds or
    /// waits for the GIL, or the OS has it runnable (woken, not yet scheduled: state `R` in
    /// /proc, which a loaded machine can leave for milliseconds), `maximum` seconds at most.
    /// No minimum is needed by default: a thread woken by the cell is runnable for the OS
    /// from the moment its waker returns.
    public func finishCell(minimum: Double = 0, maximum: Double = 0.1) {
        let start = time.perfCounter()
        let kernelIDs = threads.started.compactMap(\.nativeID)
        while time.perfCounter() - start < maximum {
            if time.perfCounter() - start >= minimum && !gil.isBusy && !kernelIDs.contains(where: Self.isRunnable) {
                return
            }
            Thread.sleep(forTimeInterval: 0.0002)
        }
    }

    /// Whether the OS has the thread `tid` of this process running or ready to run.
    private static func isRunnable(_ tid: Int) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state == "R"
    }
}

extension PyInterpreter {
    /// The notebook's event loop, made at the first top-level `await`; its task names count
    /// on from the tasks the kernel made for the cells entered so far.
    func notebookLoop(report: @escaping @Sendable (String) -> Void) -> NotebookLoop {
        kernelState.notebookLoop {
            let earlierCells = max(0, kernelState.cellsEntered - 1)
            let made = kernel.map { $0.tasksAtStart + $0.tasksPerCell * earlierCells } ?? 0
            return NotebookLoop(in: self, tasksBefore: made, report: report)
        }
    }
}
