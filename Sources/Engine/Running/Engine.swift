import Foundation
import Futures
import Notebook
import PythonRepr
import PythonRuntime
import Synchronization

/// How a run behaves; the command line's options.
package struct EngineOptions: Sendable {
    /// At most this many cells at once; `nil` runs every cell side by side.
    package var jobs: Int?
    /// Seconds a cell may run before it is abandoned with a timeout error.
    package var timeout: TimeInterval?
    /// Seeds every cell's generator; `nil` draws fresh seeds.
    package var seed: UInt64?
    /// Per-cell `timeout` rules, by notebook path and cell index; `timeout` overrides them.
    package var cellTimeouts: [String: [Int: TimeInterval]] = [:]
    /// nbclient's `allow_errors`: a session goes on after a cell raised without the
    /// `raises-exception` tag (by default the notebook stops there).
    package var continueAfterErrors = false
    /// Seconds a thread may keep a cell's GIL while other threads wait for it before the
    /// cell is failed by name instead of hanging; `nil` turns the watchdog off. Default 5,
    /// or `NBRUN_GIL_WATCHDOG` (seconds; 0 turns it off).
    package var gilWatchdog: TimeInterval? = CellExecution.defaultGILWatchdog
    /// For a cell with neither `timeout` nor a `timeout` rule: give up after this many times
    /// its recorded duration (at least a minute; ten minutes when none is recorded), so that
    /// nothing hangs silently. `check` sets it; `nil` (the default, `run`'s) waits forever.
    package var defaultTimeoutFactor: Double?
    /// Record every cell's timeline (`RunResult.timelines`), as `--timeline DIR` asks; cells
    /// tagged `nbrun-timeline` are recorded (and show theirs) either way.
    package var recordTimelines = false
    /// nbclient's `interrupt_on_timeout` for every cell (`--interrupt-on-timeout`): a
    /// session's cell that runs past its timeout gets `KeyboardInterrupt` in its main thread.
    package var interruptOnTimeout = false
    /// Per-cell `interrupt` rules, by notebook path: the cells interrupted at their timeout.
    package var cellInterrupts: [String: Set<Int>] = [:]
    /// The kernel notebooks written step by step run in (`KernelProfile`).
    package var kernel: KernelProfile? = .ipykernel7
    /// Per-notebook kernels (nbrun.json's `kernel`), by notebook path; `kernel` for the others.
    package var kernels: [String: KernelProfile?] = [:]

    package init(jobs: Int? = nil, timeout: TimeInterval? = nil, seed: UInt64? = nil) {
        self.jobs = jobs
        self.timeout = timeout
        self.seed = seed
    }
}

/// One notebook after its run: the updated notebook and the cells that failed.
package struct RunResult: Sendable {
    package struct CellFailure: Sendable, CustomStringConvertible {
        package let cell: CellLabel
        package let demo: String
        package let failure: CellOutcome.Failure
        /// Later cells of its notebook not run because this one stopped the session.
        package var cellsNotRun = 0

        package var description: String {
            let what =
                switch failure {
                case let .raised(ename, evalue): "\(cell) (\(demo)) raised \(ename): \(evalue)"
                case .timedOut(let seconds): "\(cell) (\(demo)) timed out after \(PythonFloat.repr(seconds)) s"
                case .gilHeld(let stall): "\(cell) (\(demo)): \(stall)"
                }
            guard cellsNotRun > 0 else { return what }
            let count = cellsNotRun == 1 ? "its 1 later cell was" : "its \(cellsNotRun) later cells were"
            return what + "; the notebook stopped there: \(count) not run"
        }
    }

    package let path: String
    package let notebook: Notebook
    package let failures: [CellFailure]
    /// Seconds each cell that ran took, by cell index (execute_input to execute_reply).
    package var seconds: [Int: Double] = [:]
    /// A session's threads still running when its last cell ended, each with the cell that
    /// started it (`W0 (started in cell 11)`): they were not waited for, and end with the process.
    package var lingeringThreads: [String] = []
    /// The recorded timelines, by demo name (`Demo.name`), of the cells that recorded one.
    package var timelines: [String: Timeline] = [:]
}

/// Runs planned notebooks: every matched cell of every notebook goes to one shared pool.
package enum Engine {
    /// Runs all `plans` and returns them updated, in the same order. `progress` is called
    /// (from pool threads) with the number of cells finished and the total.
    ///
    /// A notebook whose ports share a session (`Demo.session`) is one job, a chain of its
    /// cells run in order (`SessionRun`); every other notebook's cells are jobs of their own.
    /// The CPython costs the ports declare (`Demo.costs`) are measured first, if this machine
    /// has not measured them yet, so no cell spends python3's `timeit` in its own time.
    package static func run(
        _ plans: [RunPlan], options: EngineOptions = EngineOptions(),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [RunResult] {
        let total = plans.reduce(0) { $0 + $1.steps.count }
        guard total > 0 else {
            return plans.map { RunResult(path: $0.path, notebook: finished($0.notebook), failures: []) }
        }
        // A notebook that starts processes gets the fork server now: its first child then
        // starts as fast as a kernel's fork, not after an exec of nbrun.
        if plans.contains(where: startsProcesses) { ProcessWorker.prepareForkServer() }
        // The CPython costs the ports declared, measured now if this machine has not yet:
        // before any cell's clock starts, with nothing timed running beside the measurement.
        CPythonCost.Declaration.calibrate(plans.flatMap { $0.steps.flatMap(\.demo.costs) })
        let units = workUnits(plans, options: options)
        // What runs when is `AdmissionPolicy`'s call (CPU-bound cells alone, timing-sensitive
        // ones while wake-ups stay punctual); `--jobs 1` runs everything alone, in document order.
        let order = unitOrder(units.map { expectedSeconds($0, plans) }, jobs: options.jobs)
        let batch = order.map { job(for: units[$0], plans: plans, options: options) }
        let scheduler = CellScheduler(sharedCells: batch.count { $0.kind == .shared }, options: options)
        let counter = ProgressCounter(total: total, report: progress)
        let started = scheduler.start(batch) { outcome in counter.increment(by: outcome.cells) }
        var futures = [concurrent.futures.Future<CellOutcome>?](repeating: nil, count: units.count)
        for (unit, future) in zip(order, started) { futures[unit] = future }
        var outcomes: [[CellOutcome?]] = plans.map { [CellOutcome?](repeating: nil, count: $0.steps.count) }
        var lingering: [[SessionRun.LingeringThread]] = plans.map { _ in [] }
        for (unit, future) in zip(units, futures) {
            let outcome = outcomeOrReport(future)
            if let session = unit.session {
                // A chain that failed as a job (never expected) reports on its first cell.
                outcomes[unit.plan] = outcome.failure == nil ? session.outcomes : [outcome]
                lingering[unit.plan] = session.lingering
            } else {
                outcomes[unit.plan][unit.steps[0]] = outcome
            }
        }
        let results = zip(plans.indices, plans).map { index, plan in
            result(plan, outcomes: outcomes[index], lingering: lingering[index])
        }
        // An abandoned (timed-out) cell must not be waited for.
        scheduler.shutdown(wait: options.timeout == nil && options.cellTimeouts.isEmpty)
        return results
    }

    /// Whether a cell `plan` runs uses `multiprocessing` or a `ProcessPoolExecutor`.
    static func startsProcesses(_ plan: RunPlan) -> Bool {
        plan.steps.contains { step in
            let source = plan.notebook.cells[step.cellIndex].source
            return source.contains("multiprocessing") || source.contains("ProcessPool") || source.contains("Process(")
        }
    }

    /// What the scheduler runs: a notebook's session as one unit, every other cell alone.
    struct WorkUnit: Sendable {
        let plan: Int
        let steps: [Int]
        let session: SessionRun?
    }

    static func workUnits(_ plans: [RunPlan], options: EngineOptions) -> [WorkUnit] {
        plans.indices.flatMap { index -> [WorkUnit] in
            let plan = plans[index]
            guard plan.steps.contains(where: { $0.demo.session != nil }) else {
                return plan.steps.indices.map { WorkUnit(plan: index, steps: [$0], session: nil) }
            }
            let steps = plan.steps.indices.map { stepIndex in
                let step = plan.steps[stepIndex]
                let cell = plan.notebook.cells[step.cellIndex]
                return SessionRun.Step(
                    demo: step.demo, seed: cellSeed(options.seed, demo: step.demo),
                    timeout: cellTimeout(options, plan: plan, step: stepIndex),
                    raisesException: cell.tags.contains(raisesExceptionTag),
                    label: CellLabel(index: step.cellIndex, cell: cell),
                    timeline: timelineRequest(cell, options), source: cell.source,
                    interrupt: options.interruptOnTimeout
                        || options.cellInterrupts[plan.path]?.contains(step.cellIndex) == true)
            }
            let session = SessionRun(
                steps: steps, continueAfterErrors: options.continueAfterErrors, gilWatchdog: options.gilWatchdog,
                notebookFolder: notebookFolder(of: plan.path), kernel: options.kernels[plan.path] ?? options.kernel)
            return [WorkUnit(plan: index, steps: Array(plan.steps.indices), session: session)]
        }
    }

    /// A unit as the scheduler's job. A session is admitted as one chain of cells: timing-
    /// sensitive unless a cell computes, its recorded cost the sum of its cells'.
    private static func job(for unit: WorkUnit, plans: [RunPlan], options: EngineOptions) -> CellScheduler.Job {
        let plan = plans[unit.plan]
        let demos = unit.steps.map { plan.steps[$0].demo }
        let first = demos[0]
        var job = CellScheduler.Job(
            demo: first, seed: cellSeed(options.seed, demo: first),
            timeout: unit.session == nil ? cellTimeout(options, plan: plan, step: unit.steps[0]) : nil,
            gilWatchdog: options.gilWatchdog,
            exclusive: demos.contains { $0.load == .allCores } || options.jobs == 1,
            oneCore: demos.contains { $0.load == .oneCore },
            recordedSeconds: recordedSeconds(plan, steps: unit.steps))
        job.notebookFolder = notebookFolder(of: plan.path)
        if let session = unit.session {
            job.chain = { session.run() }
        } else {
            job.timeline = timelineRequest(plan.notebook.cells[plan.steps[unit.steps[0]].cellIndex], options)
        }
        return job
    }

    /// The absolute folder of a notebook's path, where nbclient would start its kernel; nil for
    /// a notebook read from stdin (`-`), which runs in the working directory.
    static func notebookFolder(of path: String) -> String? {
        guard path != "-" else { return nil }
        return URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
    }

    /// Whether to record a cell's timeline: tagged `nbrun-timeline` (then it is shown in the
    /// cell), or every cell for `--timeline DIR`.
    private static func timelineRequest(_ cell: Cell, _ options: EngineOptions) -> TimelineRequest? {
        let tagged = cell.tags.contains(timelineTag)
        return tagged || options.recordTimelines ? TimelineRequest(display: tagged) : nil
    }

    /// Seconds a cell may run: `--timeout`, else its `timeout` rule, else (for `check`) a
    /// multiple of its recorded duration, so that nothing hangs silently; nil waits forever.
    private static func cellTimeout(_ options: EngineOptions, plan: RunPlan, step: Int) -> TimeInterval? {
        if let timeout = options.timeout ?? options.cellTimeouts[plan.path]?[plan.steps[step].cellIndex] {
            return timeout
        }
        return options.defaultTimeoutFactor.map { factor in
            recordedSeconds(plan, step: step).map { max(60, factor * $0) } ?? 600
        }
    }

    private static func outcomeOrReport(_ future: concurrent.futures.Future<CellOutcome>?) -> CellOutcome {
        do {
            guard let future else { throw concurrent.futures.CancelledError() }
            return try future.result()
        } catch {
            // CellExecution never throws; a pool failure is still reported, not lost.
            let now = Timestamp.now()
            return CellOutcome(
                outputs: [], failure: .raised(ename: "RuntimeError", evalue: "\(error)"),
                timing: CellTiming(busy: now, executeInput: now, executeReply: now, idle: now))
        }
    }

    /// The notebook with its cells' outcomes written in. Cells a session did not run (after
    /// an error stopped it) keep what they had, as under nbclient.
    private static func result(_ plan: RunPlan, outcomes: [CellOutcome?], lingering: [SessionRun.LingeringThread])
        -> RunResult
    {
        var notebook = plan.notebook
        var failures: [RunResult.CellFailure] = []
        var seconds: [Int: Double] = [:]
        var timelines: [String: Timeline] = [:]
        for (number, (step, outcome)) in zip(plan.steps, outcomes).enumerated() {
            guard let outcome else { continue }
            let cell = notebook.cells[step.cellIndex]
            let label = CellLabel(index: step.cellIndex, cell: cell)
            CellUpdate.apply(
                outcome, demo: step.demo, executionCount: number + 1, label: label,
                to: &notebook.cells[step.cellIndex])
            if let timeline = outcome.timeline { timelines[step.demo.name] = timeline }
            seconds[step.cellIndex] = outcome.timing.executeReply.seconds(since: outcome.timing.executeInput)
            guard let failure = outcome.failure else { continue }
            // An error the cell is tagged to raise is its expected output (nbclient's rule).
            if case .raised = failure, cell.tags.contains(raisesExceptionTag) { continue }
            let notRun = outcomes.dropFirst(number + 1).count { $0 == nil }
            failures.append(.init(cell: label, demo: step.demo.name, failure: failure, cellsNotRun: notRun))
        }
        return RunResult(
            path: plan.path, notebook: finished(notebook), failures: failures, seconds: seconds,
            lingeringThreads: lingering.map { "\($0.name) (started in \($0.cell))" }, timelines: timelines)
    }

    /// The order cells are offered for admission. `--jobs 1`: document order, as promised.
    /// Otherwise longest first, by the duration each cell's last run recorded in the
    /// notebook (cells with no record count as longest): when a hundred notebooks' cells
    /// queue for the cores and for thread start-up, the long sleepers start at once and the
    /// short ones fill in around them, so the batch ends close to its longest cell.
    static func submissionOrder(_ plans: [RunPlan], jobs: Int?) -> [(Int, Int)] {
        let documentOrder = plans.indices.flatMap { plan in plans[plan].steps.indices.map { (plan, $0) } }
        let expected = documentOrder.map { plan, step in recordedSeconds(plans[plan], steps: [step]) ?? .infinity }
        return unitOrder(expected, jobs: jobs).map { documentOrder[$0] }
    }

    /// `submissionOrder` over work units given their expected seconds (a session's: the sum
    /// of its cells'), as indices into them.
    static func unitOrder(_ expected: [Double], jobs: Int?) -> [Int] {
        guard jobs != 1 else { return Array(expected.indices) }
        return expected.indices.sorted { expected[$0] != expected[$1] ? expected[$0] > expected[$1] : $0 < $1 }
    }

    private static func expectedSeconds(_ unit: WorkUnit, _ plans: [RunPlan]) -> Double {
        recordedSeconds(plans[unit.plan], steps: unit.steps) ?? .infinity
    }

    /// How long planned cells took, together, when they last ran, as their notebook recorded
    /// it; nil when a cell has no record.
    static func recordedSeconds(_ plan: RunPlan, steps: [Int]) -> Double? {
        var sum = 0.0
        for step in steps {
            guard let seconds = recordedSeconds(plan, step: step) else { return nil }
            sum += seconds
        }
        return sum
    }

    /// How long a planned cell took when it last ran, as its notebook recorded it.
    static func recordedSeconds(_ plan: RunPlan, step: Int) -> Double? {
        CellTiming.recordedSeconds(in: plan.notebook.cells[plan.steps[step].cellIndex].metadata)
    }

    private static func finished(_ notebook: Notebook) -> Notebook {
        var notebook = notebook
        notebook.assignMissingCellIDs()
        return notebook
    }

    /// Each cell's own generator: from `--seed` and the demo, so a cell draws the same
    /// numbers whatever else runs beside it; fresh entropy without a seed.
    static func cellSeed(_ seed: UInt64?, demo: Demo) -> UInt64 {
        guard let seed else { return UInt64.random(in: .min ... .max) }
        return StableHash.fnv64("\(seed)\u{0}\(demo.notebook)\u{0}\(demo.name)")
    }
}

/// Counts finished cells for the progress line; safe from any pool thread.
private final class ProgressCounter: Sendable {
    private let done = Atomic<Int>(0)
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func increment(by cells: Int = 1) {
        let now = done.add(cells, ordering: .relaxed).newValue
        report?(now, total)
    }
}

extension EngineOptions {
    /// What `book`'s rules ask of `plan`'s run: each cell's `timeout` and `interrupt`, and the
    /// kernel its notebook runs in (for `run`, `check` and `verify` alike).
    package mutating func adopt(_ book: RuleBook, for plan: RunPlan) throws(RuleError) {
        let timeouts = try book.timeouts(for: plan)
        if !timeouts.isEmpty { cellTimeouts[plan.path] = timeouts }
        let interrupts = try book.interrupts(for: plan)
        if !interrupts.isEmpty { cellInterrupts[plan.path] = interrupts }
        if book.kernel != kernel { kernels[plan.path] = .some(book.kernel) }
    }
}
