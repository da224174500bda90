import Foundation
import Futures
import PythonRuntime

/// One run of a notebook written step by step (its ports declare a `NotebookSession`). Its
/// cells run as a kernel runs them: in document order, each after the previous one has
/// finished, in one interpreter and one `DemoContext` (one GIL; a thread's print goes to the
/// cell running at that moment), with one fresh session. The scheduler sees the whole run
/// as one job, a chain of cells (`CellScheduler.Job.chain`).
///
/// A cell that raises without the `raises-exception` tag stops the notebook there, as
/// nbclient does: later cells are not run. So does a cell that times out: it is abandoned,
/// and so are the notebook's threads (their output is dropped, their worker processes
/// killed; they end with the process).
final class SessionRun: Sendable {
    struct Step: Sendable {
        let demo: Demo
        let seed: UInt64
        let timeout: TimeInterval?
        /// Tagged `raises-exception`: its error is written and the notebook goes on.
        let raisesException: Bool
        let label: CellLabel
        /// Record the cell's timeline, and whether to show it in the cell.
        var timeline: TimelineRequest? = nil
        /// The cell's source: the file name tracebacks give its code (`KernelProfile.cellFile`).
        var source = ""
        /// At its timeout, interrupt it (`KeyboardInterrupt`) instead of abandoning the notebook.
        var interrupt = false
    }

    /// A thread still running when the notebook's last cell ended.
    struct LingeringThread: Sendable, Equatable {
        let name: String
        /// The cell that was running when it was first seen alive: the one that started it.
        let cell: String
    }

    let steps: [Step]
    /// `--allow-errors`: an untagged error does not stop the notebook (nbclient's allow_errors).
    let continueAfterErrors: Bool
    /// Seconds a thread may keep the notebook's GIL while others wait (`EngineOptions.gilWatchdog`).
    let gilWatchdog: TimeInterval?
    /// The notebook's folder, where relative paths resolve (nil: the working directory).
    let notebookFolder: String?
    private let results = Locked<(outcomes: [CellOutcome?], lingering: [LingeringThread])>(([], []))

    /// The kernel the notebook runs in (its threads, counters, paths).
    let kernel: KernelProfile?

    init(
        steps: [Step], continueAfterErrors: Bool, gilWatchdog: TimeInterval?, notebookFolder: String? = nil,
        kernel: KernelProfile? = .ipykernel7
    ) {
        self.steps = steps
        self.notebookFolder = notebookFolder
        self.continueAfterErrors = continueAfterErrors
        self.gilWatchdog = gilWatchdog
        self.kernel = kernel
    }

    /// Each step's outcome, nil for the cells not run; valid once `run` has returned.
    var outcomes: [CellOutcome?] { results.withLock { $0.outcomes } }
    /// Threads alive after the last cell, oldest first; valid once `run` has returned.
    var lingering: [LingeringThread] { results.withLock { $0.lingering } }

    /// Runs the cells in order on the calling thread; returns one outcome standing for the
    /// whole chain (first cell's start to last cell's end, CPU summed) for the scheduler.
    func run() -> CellOutcome {
        let context = DemoContext(
            seed: steps.first?.seed ?? 0, recordingTimeline: steps.contains { $0.timeline != nil },
            notebookFolder: notebookFolder, kernel: kernel)
        var sessions: [String: any NotebookSession] = [:]
        var outcomes = [CellOutcome?](repeating: nil, count: steps.count)
        var startedIn: [ObjectIdentifier: (thread: threading.Thread, cell: String)] = [:]
        var abandoned = false
        for (index, step) in steps.enumerated() {
            let busy = Timestamp.now()
            context.beginCell(seed: step.seed)
            context.interpreter.enterCell(source: step.source)
            var state: (any NotebookSession)?
            if let kind = step.demo.session {
                state = sessions[kind.name] ?? kind.make()
                sessions[kind.name] = state
            }
            let outcome = CellExecution.run(
                step.demo, in: context, session: state, timeout: step.timeout, gilWatchdog: gilWatchdog, busy: busy,
                timeline: step.timeline, interrupt: step.interrupt)
            outcomes[index] = outcome
            switch outcome.failure {
            case .timedOut, .gilHeld:
                abandoned = true  // its thread may hold the GIL for good: nothing more runs in it
            case .raised, nil:
                break
            }
            if abandoned { break }
            for thread in context.interpreter.startedThreads
            where startedIn[ObjectIdentifier(thread)] == nil {
                startedIn[ObjectIdentifier(thread)] = (thread, step.label.description)
            }
            if outcome.failure != nil && !step.raisesException && !continueAfterErrors { break }
        }
        var lingering: [LingeringThread] = []
        if !abandoned {
            lingering = context.interpreter.startedThreads.map { thread in
                LingeringThread(name: thread.name, cell: startedIn[ObjectIdentifier(thread)]?.cell ?? "no cell")
            }
        }
        // The kernel shuts down: its threads still running never get the GIL back.
        context.interpreter.shutDown()
        let ran = outcomes.compactMap { $0 }
        results.withLock { $0 = (outcomes, lingering) }
        let now = Timestamp.now()
        var summary = CellOutcome(
            outputs: [], failure: nil,
            timing: CellTiming(
                busy: ran.first?.timing.busy ?? now, executeInput: ran.first?.timing.executeInput ?? now,
                executeReply: ran.last?.timing.executeReply ?? now, idle: ran.last?.timing.idle ?? now))
        summary.cpuSeconds = ran.reduce(0) { $0 + $1.cpuSeconds }
        summary.cells = steps.count
        return summary
    }
}
