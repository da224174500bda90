import Dispatch
import Foundation
import Futures
import PythonRuntime

/// Starts a batch's cells when `AdmissionPolicy` lets them: timing-sensitive cells on a
/// shared pool, CPU-bound ones on a lane of one, one-core ones on a lane of their own. The calling thread runs the admission
/// loop until every cell has started; the cells' futures complete as they finish.
final class CellScheduler: Sendable {
    /// One cell to run, with its place in the batch.
    struct Job: Sendable {
        let demo: Demo
        let seed: UInt64
        /// Seconds before the cell is abandoned (`--timeout`, or its `timeout` rule).
        let timeout: TimeInterval?
        /// Seconds of a GIL kept while others wait before the cell is failed (`EngineOptions`).
        let gilWatchdog: TimeInterval?
        /// `--jobs 1` runs every cell alone, in the order given.
        let exclusive: Bool
        /// A one-core CPU-bound cell (`Demo.Load.oneCore`), which may run beside others.
        var oneCore = false
        /// How long the cell took when it last ran (recorded in the notebook), if known.
        var recordedSeconds: Double?
        /// Record the cell's timeline (and show it in the cell, `display`), else nil.
        var timeline: TimelineRequest?
        /// A session's cells, run in order as one job (`SessionRun`), instead of `demo` alone.
        var chain: (@Sendable () -> CellOutcome)?
        /// The notebook's folder, where relative paths resolve (nil: the working directory).
        var notebookFolder: String?

        var kind: Kind { exclusive ? .exclusive : oneCore ? .oneCore : .shared }
    }

    enum Kind: Sendable {
        case shared, oneCore, exclusive
    }

    private let pool: concurrent.futures.ThreadPoolExecutor
    private let lane = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "nbrun-cpu-bound")
    /// One worker per core: `AdmissionPolicy` runs one such cell beside timing-sensitive
    /// ones, and one per core once those are done.
    private let oneCoreLane = concurrent.futures.ThreadPoolExecutor(
        maxWorkers: ProcessInfo.processInfo.activeProcessorCount, threadNamePrefix: "nbrun-one-core")
    private let running = Locked<(shared: Int, exclusive: Int, oneCore: Int, finishedShared: Int)>((0, 0, 0, 0))
    /// Signalled whenever a cell finishes, so the loop decides again at once.
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled when a one-core cell finishes: the lane's next cell starts without waiting
    /// out the tick that follows an admission.
    private let oneCoreFinished = DispatchSemaphore(value: 0)
    private let jobs: Int?
    private let settings: AdmissionSettings
    /// What each demo's timing-sensitive cells need of the cores, learned as they finish.
    private let costs: CellCosts

    init(sharedCells: Int, options: EngineOptions, settings: AdmissionSettings = .production) {
        jobs = options.jobs
        self.settings = settings
        costs = CellCosts(settings: settings)
        pool = concurrent.futures.ThreadPoolExecutor(
            maxWorkers: max(1, min(options.jobs ?? sharedCells, sharedCells)),
            threadNamePrefix: "nbrun-cell")
    }

    /// Starts every job as the policy allows and returns their futures, in `jobs` order.
    /// Returns once the last one has started (not finished).
    func start(_ batch: [Job], observe: @escaping @Sendable (CellOutcome) -> Void) -> [concurrent.futures.Future<
        CellOutcome
    >] {
        var futures: [concurrent.futures.Future<CellOutcome>?] = Array(repeating: nil, count: batch.count)
        let shared = batch.indices.filter { batch[$0].kind == .shared }
        let exclusive = batch.indices.filter { batch[$0].kind == .exclusive }
        let oneCore = batch.indices.filter { batch[$0].kind == .oneCore }
        var nextShared = 0, nextExclusive = 0, nextOneCore = 0
        let sameDemoAhead = Self.sameDemoAhead(shared.map { batch[$0].demo.id })

        let probe = shared.isEmpty ? nil : WakeupProbe(settings: settings)
        probe?.start()
        defer { probe?.stop() }
        let baseline = probe?.baseline() ?? 0
        var policy = AdmissionPolicy(
            settings: settings, cores: ProcessInfo.processInfo.activeProcessorCount, baseline: baseline, jobs: jobs)
        let tick = DispatchTimeInterval.nanoseconds(Int((settings.tick * 1e9).rounded()))

        let trace = AdmissionTrace(baseline: baseline)
        let began = DispatchTime.now().uptimeNanoseconds
        // Pacing needs to know how much one-core work is left (see `AdmissionPolicy`).
        var oneCoreSecondsLeft = oneCore.reduce(0.0) { $0 + (batch[$1].recordedSeconds ?? 0) }
        while nextShared < shared.count || nextExclusive < exclusive.count || nextOneCore < oneCore.count {
            let now = running.withLock { $0 }
            let nextNeed: (cores: Double?, cpu: Double?, running: Int) =
                nextShared < shared.count ? costs.need(of: batch[shared[nextShared]].demo) : (nil, nil, 0)
            let state = AdmissionPolicy.State(
                waitingShared: shared.count - nextShared, waitingExclusive: exclusive.count - nextExclusive,
                runningShared: now.shared, runningExclusive: now.exclusive,
                waitingOneCore: oneCore.count - nextOneCore, runningOneCore: now.oneCore,
                lateness: probe?.takeWorst() ?? 0, finishedShared: now.finishedShared,
                elapsed: Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9,
                oneCoreSecondsLeft: oneCoreSecondsLeft,
                nextSharedSeconds: nextShared < shared.count ? batch[shared[nextShared]].recordedSeconds ?? 0 : 0,
                nextDemoWaiting: nextShared < shared.count ? sameDemoAhead[nextShared] : 0,
                followingDemos: following(nextShared, in: shared, of: batch, ahead: sameDemoAhead),
                reservedCores: costs.reservedCores, nextSharedCores: nextNeed.cores,
                nextSharedDemoRunning: nextNeed.running, nextSharedCPUSeconds: nextNeed.cpu)
            let decision = policy.decide(state)
            trace?.record(state, decision, slice: policy.lateness.slice, window: policy.window.size)
            switch decision {
            case .admitShared(let count):
                for _ in 0..<count {
                    let index = shared[nextShared]
                    futures[index] = launch(batch[index], as: .shared, observe: observe)
                    nextShared += 1
                }
                // Its wake-ups (1000 a second) would preempt the CPU-bound cells' threads.
                if nextShared == shared.count { probe?.stop() }
                // Let the probe see what these cells' start-up costs before admitting more.
                _ = oneCoreFinished.wait(timeout: .now() + tick)
            case .startExclusive:
                let index = exclusive[nextExclusive]
                futures[index] = launch(batch[index], as: .exclusive, observe: observe)
                nextExclusive += 1
            case .startOneCore:
                let index = oneCore[nextOneCore]
                futures[index] = launch(batch[index], as: .oneCore, observe: observe)
                oneCoreSecondsLeft -= batch[index].recordedSeconds ?? 0
                nextOneCore += 1
            case .wait:
                _ = finished.wait(timeout: .now() + tick)
            }
        }
        return futures.map { $0 ?? Self.lost() }
    }

    private func launch(_ job: Job, as kind: Kind, observe: @escaping @Sendable (CellOutcome) -> Void)
        -> concurrent.futures.Future<CellOutcome>
    {
        running.withLock { counts in
            switch kind {
            case .shared: counts.shared += 1
            case .oneCore: counts.oneCore += 1
            case .exclusive: counts.exclusive += 1
            }
        }
        let executor =
            switch kind {
            case .shared: pool
            case .oneCore: oneCoreLane
            case .exclusive: lane
            }
        let reserved = kind == .shared ? costs.started(job.demo) : nil
        let future = executor.submit { [self] in
            if kind == .shared { costs.begins(job.demo, stepByStep: job.chain != nil) }
            let outcome =
                job.chain?()
                ?? CellExecution.run(
                    job.demo, seed: job.seed, timeout: job.timeout, gilWatchdog: job.gilWatchdog,
                    timeline: job.timeline, notebookFolder: job.notebookFolder)
            if kind == .shared {
                // Its quiet duration when the notebook recorded one: a cell slowed by the
                // batch would make its need look smaller than it is.
                let wall = outcome.timing.executeReply.seconds(since: outcome.timing.executeInput)
                costs.finished(
                    job.demo, reserved: reserved, cpu: outcome.cpuSeconds,
                    wall: min(wall, job.recordedSeconds ?? wall))
            }
            running.withLock { counts in
                switch kind {
                case .shared:
                    counts.shared -= 1
                    counts.finishedShared += 1
                case .oneCore: counts.oneCore -= 1
                case .exclusive: counts.exclusive -= 1
                }
            }
            finished.signal()
            if kind == .oneCore { oneCoreFinished.signal() }
            observe(outcome)
            return outcome
        }
        return future
    }

    /// The runs of one demo after the next cell's, up to a slice's worth of cells, with their
    /// demos' needs.
    private func following(_ next: Int, in queue: [Int], of batch: [Job], ahead: [Int]) -> [AdmissionPolicy.DemoRun] {
        guard next < queue.count else { return [] }
        var runs: [AdmissionPolicy.DemoRun] = []
        var place = next + ahead[next], cells = ahead[next]
        while place < queue.count, cells < settings.maximumSlice {
            let need = costs.need(of: batch[queue[place]].demo)
            runs.append(.init(cells: ahead[place], cores: need.cores, cpu: need.cpu))
            cells += ahead[place]
            place += ahead[place]
        }
        return runs
    }

    /// For each place in the queue, how many cells in a row from there are of its demo.
    static func sameDemoAhead(_ demos: [String]) -> [Int] {
        var ahead = [Int](repeating: 1, count: demos.count)
        for place in demos.indices.reversed().dropFirst() where demos[place] == demos[place + 1] {
            ahead[place] = ahead[place + 1] + 1
        }
        return ahead
    }

    /// Never expected: every job is started before `start` returns. Reported, not lost.
    private static func lost() -> concurrent.futures.Future<CellOutcome> {
        let future = concurrent.futures.Future<CellOutcome>()
        _ = future.setException(concurrent.futures.CancelledError())
        return future
    }

    /// Lets the executors' threads go once the batch's results are collected.
    func shutdown(wait: Bool) {
        pool.shutdown(wait: wait)
        lane.shutdown(wait: wait)
        oneCoreLane.shutdown(wait: wait)
    }
}
