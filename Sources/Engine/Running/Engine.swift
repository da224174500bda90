import Foundation
import Futures
import Notebook
import PythonRuntime
import Synchronization

/// How a run behaves; the command line's options.
public struct EngineOptions: Sendable {
    /// At most this many cells at once; `nil` runs every cell side by side.
    public var jobs: Int?
    /// Seconds a cell may run before it is abandoned with a timeout error.
    public var timeout: TimeInterval?
    /// Seeds every cell's generator; `nil` draws fresh seeds.
    public var seed: UInt64?
    /// Per-cell `timeout` rules, by notebook path and cell index; `timeout` overrides them.
    public var cellTimeouts: [String: [Int: TimeInterval]] = [:]
    /// Seconds a thread may keep a cell's GIL while other threads wait for it before the
    /// cell is failed by name instead of hanging; `nil` turns the watchdog off. Default 5,
    /// or `NBRUN_GIL_WATCHDOG` (seconds; 0 turns it off).
    public var gilWatchdog: TimeInterval? = CellExecution.defaultGILWatchdog
    /// For a cell with neither `timeout` nor a `timeout` rule: give up after this many times
    /// its recorded duration (at least a minute; ten minutes when none is recorded), so that
    /// nothing hangs silently. `check` sets it; `nil` (the default, `run`'s) waits forever.
    public var defaultTimeoutFactor: Double?

    public init(jobs: Int? = nil, timeout: TimeInterval? = nil, seed: UInt64? = nil) {
        self.jobs = jobs
        self.timeout = timeout
        self.seed = seed
    }
}

/// One notebook after its run: the updated notebook and the cells that failed.
public struct RunResult: Sendable {
    public struct CellFailure: Sendable, CustomStringConvertible {
        public let cell: CellLabel
        public let demo: String
        public let failure: CellOutcome.Failure

        public var description: String {
            switch failure {
            case let .raised(ename, evalue): "\(cell) (\(demo)) raised \(ename): \(evalue)"
            case .timedOut(let seconds): "\(cell) (\(demo)) timed out after \(PythonFloat.repr(seconds)) s"
            case .gilHeld(let stall): "\(cell) (\(demo)): \(stall)"
            }
        }
    }

    public let path: String
    public let notebook: Notebook
    public let failures: [CellFailure]
    /// Seconds each cell that ran took, by cell index (execute_input to execute_reply).
    public var seconds: [Int: Double] = [:]
}

/// Runs planned notebooks: every matched cell of every notebook goes to one shared pool.
public enum Engine {
    /// Runs all `plans` and returns them updated, in the same order. `progress` is called
    /// (from pool threads) with the number of cells finished and the total.
    public static func run(
        _ plans: [RunPlan], options: EngineOptions = EngineOptions(),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> [RunResult] {
        let total = plans.reduce(0) { $0 + $1.steps.count }
        guard total > 0 else {
            return plans.map { RunResult(path: $0.path, notebook: finished($0.notebook), failures: []) }
        }
        // What runs when is `AdmissionPolicy`'s call (CPU-bound cells alone, timing-sensitive
        // ones while wake-ups stay punctual); `--jobs 1` runs everything alone, in document order.
        let order = submissionOrder(plans, jobs: options.jobs)
        let batch = order.map { planIndex, stepIndex in
            let demo = plans[planIndex].steps[stepIndex].demo
            let cellIndex = plans[planIndex].steps[stepIndex].cellIndex
            let recorded = recordedSeconds(plans[planIndex], step: stepIndex)
            let defaultTimeout = options.defaultTimeoutFactor.map { factor in
                recorded.map { max(60, factor * $0) } ?? 600
            }
            return CellScheduler.Job(
                demo: demo, seed: cellSeed(options.seed, demo: demo),
                timeout: options.timeout ?? options.cellTimeouts[plans[planIndex].path]?[cellIndex] ?? defaultTimeout,
                gilWatchdog: options.gilWatchdog,
                exclusive: demo.load == .allCores || options.jobs == 1,
                oneCore: demo.load == .oneCore,
                recordedSeconds: recorded)
        }
        let scheduler = CellScheduler(sharedCells: batch.count { $0.kind == .shared }, options: options)
        let counter = ProgressCounter(total: total, report: progress)
        let started = scheduler.start(batch) { _ in counter.increment() }
        var futures: [[Future<CellOutcome>?]] = plans.map {
            [Future<CellOutcome>?](repeating: nil, count: $0.steps.count)
        }
        for ((planIndex, stepIndex), future) in zip(order, started) {
            futures[planIndex][stepIndex] = future
        }
        var results: [RunResult] = []
        for (plan, planFutures) in zip(plans, futures) {
            var notebook = plan.notebook
            var failures: [RunResult.CellFailure] = []
            var seconds: [Int: Double] = [:]
            for (number, (step, future)) in zip(plan.steps, planFutures).enumerated() {
                let outcome: CellOutcome
                do {
                    guard let future else { throw FuturesError.cancelled }
                    outcome = try future.result()
                } catch {
                    // CellExecution never throws; a pool failure is still reported, not lost.
                    let now = Timestamp.now()
                    outcome = CellOutcome(
                        streams: [], failure: .raised(ename: "RuntimeError", evalue: "\(error)"),
                        timing: CellTiming(busy: now, executeInput: now, executeReply: now, idle: now))
                }
                let label = CellLabel(index: step.cellIndex, cell: notebook.cells[step.cellIndex])
                CellUpdate.apply(
                    outcome, demo: step.demo, executionCount: number + 1, label: label,
                    to: &notebook.cells[step.cellIndex])
                seconds[step.cellIndex] = outcome.timing.executeReply.seconds(since: outcome.timing.executeInput)
                if let failure = outcome.failure {
                    failures.append(.init(cell: label, demo: step.demo.name, failure: failure))
                }
            }
            results.append(
                RunResult(path: plan.path, notebook: finished(notebook), failures: failures, seconds: seconds))
        }
        // An abandoned (timed-out) cell must not be waited for.
        scheduler.shutdown(wait: options.timeout == nil && options.cellTimeouts.isEmpty)
        return results
    }

    /// The order cells are offered for admission. `--jobs 1`: document order, as promised.
    /// Otherwise longest first, by the duration each cell's last run recorded in the
    /// notebook (cells with no record count as longest): when a hundred notebooks' cells
    /// queue for the cores and for thread start-up, the long sleepers start at once and the
    /// short ones fill in around them, so the batch ends close to its longest cell.
    static func submissionOrder(_ plans: [RunPlan], jobs: Int?) -> [(Int, Int)] {
        let documentOrder = plans.indices.flatMap { plan in plans[plan].steps.indices.map { (plan, $0) } }
        guard jobs != 1 else { return documentOrder }
        let expected = documentOrder.map { plan, step in recordedSeconds(plans[plan], step: step) ?? .infinity }
        return documentOrder.indices
            .sorted { expected[$0] != expected[$1] ? expected[$0] > expected[$1] : $0 < $1 }
            .map { documentOrder[$0] }
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

    func increment() {
        let now = done.add(1, ordering: .relaxed).newValue
        report?(now, total)
    }
}
