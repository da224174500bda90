import Dispatch
import Foundation
import Futures
import Notebook
import PythonRuntime

/// What running one demo produced.
public struct CellOutcome: Sendable {
    public enum Failure: Sendable, Equatable {
        /// The port threw, as the Python cell raised.
        case raised(ename: String, evalue: String)
        /// The port ran past `--timeout`; it was abandoned, not waited for.
        case timedOut(seconds: TimeInterval)
    }

    /// What the cell printed, displayed and ended with, in order.
    public let outputs: [CapturedOutput]
    public let failure: Failure?
    public let timing: CellTiming
    /// CPU time of the thread the demo ran on (its event loop's, for asyncio cells).
    var cpuSeconds = 0.0
    /// Cells this outcome stands for: a session's chain reports all of its cells at once.
    var cells = 1
}

/// Runs one demo with its own context (output capture and generator), timing it the way
/// nbclient does.
enum CellExecution {
    /// Runs `demo` on the calling (pool) thread. With a timeout, the demo runs on a thread of
    /// its own instead, so an overrunning demo can be left behind while the pool moves on.
    static func run(_ demo: Demo, seed: UInt64, timeout: TimeInterval?) -> CellOutcome {
        let busy = Timestamp.now()
        return run(demo, in: DemoContext(seed: seed), session: nil, timeout: timeout, busy: busy)
    }

    /// Runs `demo` in `context`: its own, or its notebook's session's (then `session` is the
    /// session's state, and the context's capture is the cell's from `beginCell` on).
    static func run(
        _ demo: Demo, in context: DemoContext, session: (any NotebookSession)?, timeout: TimeInterval?,
        busy: Timestamp
    ) -> CellOutcome {
        let (start, end, failure): (Timestamp, Timestamp, CellOutcome.Failure?)
        let cpu = Locked(0.0)
        if let timeout {
            (start, end, failure) = runAbandonable(demo, context, session, timeout: timeout, cpu: cpu)
        } else {
            let began = Timestamp.now()
            let raised = attempt(demo, context, session, cpu: cpu)
            (start, end, failure) = (began, Timestamp.now(), raised)
        }
        let outputs = session == nil ? context.capturedOutputs() : context.endCell()
        var outcome = CellOutcome(
            outputs: outputs, failure: failure,
            timing: CellTiming(busy: busy, executeInput: start, executeReply: end, idle: Timestamp.now()))
        outcome.cpuSeconds = cpu.withLock { $0 }
        return outcome
    }

    private static func attempt(
        _ demo: Demo, _ context: DemoContext, _ session: (any NotebookSession)?, cpu: Locked<Double>
    ) -> CellOutcome.Failure? {
        let before = CellCosts.seconds(on: CLOCK_THREAD_CPUTIME_ID) ?? 0
        defer { cpu.withLock { $0 = (CellCosts.seconds(on: CLOCK_THREAD_CPUTIME_ID) ?? before) - before } }
        do {
            context.recordValue(try demo.evaluate(context, session))
            return nil
        } catch let error as PythonError {
            return .raised(ename: error.ename, evalue: error.evalue)
        } catch {
            return .raised(ename: String(describing: type(of: error)), evalue: String(describing: error))
        }
    }

    /// The demo's thread reports here; the pool thread waits for it at most `timeout`.
    private final class Report: Sendable {
        let finished = DispatchSemaphore(value: 0)
        let state = Locked<(start: Timestamp?, failure: CellOutcome.Failure?)>((nil, nil))
    }

    private static func runAbandonable(
        _ demo: Demo, _ context: DemoContext, _ session: (any NotebookSession)?, timeout: TimeInterval,
        cpu: Locked<Double>
    )
        -> (Timestamp, Timestamp, CellOutcome.Failure?)
    {
        let report = Report()
        let requested = Timestamp.now()
        // A cached thread: an abandoned demo keeps it until it returns, then it is reused.
        ThreadCache.shared.run(name: "nbrun-cell") {
            report.state.withLock { $0.start = Timestamp.now() }
            let failure = attempt(demo, context, session, cpu: cpu)
            report.state.withLock { $0.failure = failure }
            report.finished.signal()
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(min(timeout, 1e9) * 1e9))
        if report.finished.wait(timeout: deadline) == .timedOut {
            // What it printed so far is kept; whatever it (or, in a session, any thread of
            // the notebook) prints from now on is not this run's output.
            context.seal()
            context.terminateChildProcesses()  // and no worker process of it outlives the cell
            let start = report.state.withLock { $0.start } ?? requested
            return (start, Timestamp.now(), .timedOut(seconds: timeout))
        }
        let (start, failure) = report.state.withLock { ($0.start ?? requested, $0.failure) }
        return (start, Timestamp.now(), failure)
    }
}
