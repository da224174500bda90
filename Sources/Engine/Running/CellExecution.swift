import Dispatch
import Foundation
import Futures
import Notebook
import PythonRuntime

/// What running one demo produced.
package struct CellOutcome: Sendable {
    package enum Failure: Sendable, Equatable {
        /// The port threw, as the Python cell raised.
        case raised(ename: String, evalue: String)
        /// The port ran past `--timeout`; it was abandoned, not waited for.
        case timedOut(seconds: TimeInterval)
        /// One thread kept the cell's GIL for the watchdog's seconds while others waited for
        /// it (a hand-written blocking wait that keeps the GIL); abandoned like a timeout.
        case gilHeld(String)
    }

    /// What the cell printed, displayed and ended with, in order.
    package let outputs: [CapturedOutput]
    package let failure: Failure?
    package let timing: CellTiming
    /// CPU time of the cell's threads: every thread inside its interpreter while it ran (its
    /// own, where an event loop runs, the threads it started, its executors' workers).
    var cpuSeconds = 0.0
    /// Cells this outcome stands for: a session's chain reports all of its cells at once.
    var cells = 1
    /// What the cell's threads did, when a timeline was asked for (`TimelineRequest`).
    package internal(set) var timeline: Timeline?
    /// The library frames of an interrupted wait, below the cell's in its traceback.
    var libraryFrames: [LibraryFrame] = []
    /// The cell's line that raised its error, when the port says (`DemoContext.line`).
    var errorLine: Int?
}

/// A timeline wanted of a cell: for `--timeline DIR`, and (`display`) as the cell's last
/// output when it is tagged `nbrun-timeline`.
struct TimelineRequest: Sendable {
    var display: Bool
}

/// Runs one demo with its own context (output capture and generator), timing it the way
/// nbclient does.
enum CellExecution {
    /// Seconds a thread may keep a cell's GIL while others wait for it before the cell is
    /// failed by name instead of hanging (`NBRUN_GIL_WATCHDOG`, default 5; 0 turns it off).
    static let defaultGILWatchdog: TimeInterval? = {
        guard let text = ProcessInfo.processInfo.environment["NBRUN_GIL_WATCHDOG"] else { return 5 }
        guard let seconds = Double(text), seconds.isFinite, seconds > 0 else { return nil }
        return seconds
    }()

    /// Runs `demo` on the calling (pool) thread. With a timeout or the GIL watchdog, the
    /// demo runs on a thread of its own instead, so a demo that overruns or hangs on its GIL
    /// can be left behind while the pool moves on.
    static func run(
        _ demo: Demo, seed: UInt64, timeout: TimeInterval?, gilWatchdog: TimeInterval?,
        timeline: TimelineRequest? = nil, notebookFolder: String? = nil
    ) -> CellOutcome {
        let busy = Timestamp.now()
        let context = DemoContext(seed: seed, recordingTimeline: timeline != nil, notebookFolder: notebookFolder)
        return run(
            demo, in: context, session: nil, timeout: timeout, gilWatchdog: gilWatchdog, busy: busy,
            timeline: timeline)
    }

    /// Runs `demo` in `context`: its own, or its notebook's session's (then `session` is the
    /// session's state, and the context's capture is the cell's from `beginCell` on).
    /// `interrupt`: at the timeout, raise `KeyboardInterrupt` in the cell's main thread
    /// where it waits (nbclient's `interrupt_on_timeout`) instead of abandoning the cell.
    static func run(
        _ demo: Demo, in context: DemoContext, session: (any NotebookSession)?, timeout: TimeInterval?,
        gilWatchdog: TimeInterval?, busy: Timestamp, timeline: TimelineRequest? = nil, interrupt: Bool = false
    ) -> CellOutcome {
        let recordedFrom = TimelineRecorder.now()
        let (start, end, failure): (Timestamp, Timestamp, CellOutcome.Failure?)
        var interruption: Interruption?
        let cpu = Locked(0.0)
        let errorLine = Locked<Int?>(nil)
        if timeout != nil || gilWatchdog != nil {
            (start, end, failure, interruption) = runAbandonable(
                demo, context, session, timeout: timeout, gilWatchdog: gilWatchdog, interrupt: interrupt, cpu: cpu,
                errorLine: errorLine)
        } else {
            let began = Timestamp.now()
            let raised = attempt(demo, context, session, cpu: cpu, errorLine: errorLine)
            (start, end, failure) = (began, Timestamp.now(), raised)
        }
        let recordedTo = TimelineRecorder.now()
        switch failure {
        case .timedOut, .gilHeld: break
        case .raised, nil: if session != nil { context.interpreter.finishCell() }
        }
        var outputs = session == nil ? context.capturedOutputs() : context.endCell()
        let picture = timeline.flatMap { _ in
            context.interpreter.timeline?.timeline(from: recordedFrom, end: recordedTo)
        }
        if let picture, timeline?.display == true {
            let svg = TimelineSVG(title: demo.id).render(picture)
            outputs.append(.display(DisplayData(plain: picture.summary, svg: svg)))
        }
        var outcome = CellOutcome(
            outputs: outputs, failure: failure,
            timing: CellTiming(busy: busy, executeInput: start, executeReply: end, idle: Timestamp.now()))
        outcome.cpuSeconds = cpu.withLock { $0 }
        outcome.timeline = picture
        outcome.errorLine = errorLine.withLock { $0 }
        if let interruption {
            let prefix = (context.interpreter.kernel ?? .ipykernel7).prefix
            outcome.libraryFrames = InterruptTraceback.frames(interruption, prefix: prefix)
        }
        return outcome
    }

    private static func attempt(
        _ demo: Demo, _ context: DemoContext, _ session: (any NotebookSession)?, cpu: Locked<Double>,
        errorLine: Locked<Int?>
    ) -> CellOutcome.Failure? {
        // The cell's CPU is its whole interpreter's (the threads it starts, the workers of
        // its executors), and at least its own thread's (an event loop runs there).
        let before = CellCosts.seconds(on: CLOCK_THREAD_CPUTIME_ID) ?? 0
        let interpreterBefore = context.interpreter.cpuSeconds
        defer {
            let own = (CellCosts.seconds(on: CLOCK_THREAD_CPUTIME_ID) ?? before) - before
            cpu.withLock { $0 = max(own, context.interpreter.cpuSeconds - interpreterBefore) }
        }
        do {
            context.recordValue(try demo.evaluate(context, session))
            return nil
        } catch {
            if let raised = error as? RaisedInCell {
                let cellFile = context.interpreter.currentCellFile
                errorLine.withLock { line in
                    line = raised.frames.first { $0.function == "<module>" && $0.file == cellFile }?.line
                }
            }
            // Python's name and message where the error has them (every BaseException, and
            // OSError's for a failed system call), else Swift's.
            return .raised(ename: pythonExceptionName(of: error), evalue: pythonExceptionMessage(of: error))
        }
    }

    /// The demo's thread reports here; the pool thread waits for it at most `timeout`.
    private final class Report: Sendable {
        let finished = DispatchSemaphore(value: 0)
        let state = Locked<(start: Timestamp?, failure: CellOutcome.Failure?)>((nil, nil))
    }

    private static func runAbandonable(
        _ demo: Demo, _ context: DemoContext, _ session: (any NotebookSession)?, timeout: TimeInterval?,
        gilWatchdog: TimeInterval?, interrupt: Bool, cpu: Locked<Double>, errorLine: Locked<Int?>
    )
        -> (Timestamp, Timestamp, CellOutcome.Failure?, Interruption?)
    {
        let report = Report()
        let requested = Timestamp.now()
        // A cached thread: an abandoned demo keeps it until it returns, then it is reused.
        ThreadCache.shared.run(name: "nbrun-cell") {
            report.state.withLock { $0.start = Timestamp.now() }
            let failure = attempt(demo, context, session, cpu: cpu, errorLine: errorLine)
            report.state.withLock { $0.failure = failure }
            report.finished.signal()
        }
        let deadline = timeout.map { DispatchTime.now() + .nanoseconds(Int(min($0, 1e9) * 1e9)) } ?? .distantFuture
        // Wait in slices (a deadline is still met exactly), asking the watchdog about the GIL between them.
        let slice = DispatchTimeInterval.milliseconds(500)
        while report.finished.wait(timeout: min(deadline, .now() + slice)) == .timedOut {
            var failure: CellOutcome.Failure?
            if let timeout, DispatchTime.now() >= deadline {
                failure = .timedOut(seconds: timeout)
            } else if let watchdog = gilWatchdog, let stall = context.interpreter.gilStall(after: watchdog) {
                failure = .gilHeld(stall)
            }
            guard let failure else { continue }
            if case .timedOut = failure, interrupt, let interruption = context.interpreter.interruptMainThread() {
                // KeyboardInterrupt where the main thread waits: the cell ends with it, and the
                // notebook's threads and processes run on (the main thread never comes back).
                let start = report.state.withLock { $0.start } ?? requested
                return (start, Timestamp.now(), .raised(ename: "KeyboardInterrupt", evalue: ""), interruption)
            }
            // What it printed so far is kept; whatever it (or, in a session, any thread of
            // the notebook) prints from now on is not this run's output.
            context.seal()
            context.terminateChildProcesses()  // and no worker process of it outlives the cell
            let start = report.state.withLock { $0.start } ?? requested
            return (start, Timestamp.now(), failure, nil)
        }
        let (start, failure) = report.state.withLock { ($0.start ?? requested, $0.failure) }
        return (start, Timestamp.now(), failure, nil)
    }
}
