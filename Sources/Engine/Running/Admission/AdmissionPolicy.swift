/// Decides, moment by moment, which cells may start, so that what a cell measures is what
/// it would measure on a quiet machine, whatever the size of the batch.
///
/// Three kinds of cells distort each other differently:
/// - **CPU-bound** cells (`Demo.Load.allCores`: a race, CPU burned across processes) need the
///   cores to themselves: their output or their times depend on having them. They run
///   *exclusively*: one at a time, and only while no other cell runs.
/// - **One-core** CPU-bound cells (`Demo.Load.oneCore`: threads that take turns on their
///   cell's GIL, like the lock cell) keep one core busy. One at a time, they may run beside
///   timing-sensitive cells while wake-ups are punctual, leaving those the other core;
///   once no timing-sensitive cell runs or waits, one per core; never beside an exclusive
///   cell.
/// - **Timing-sensitive** cells (all the others: sleeps, joins, executors) mostly wait,
///   so many can run at once, but each one's printed times grow with how late its threads
///   wake up, and what an admitted cell costs shows up only later, when its threads wake
///   up together with those of the cells admitted beside it. So admission must not outrun
///   what it has seen: on each decision it starts the least of what four bounds allow
///   (`AdmissionBounds.swift`), each a small type that returns its cap:
///   - `LatenessSlice`: a slice per tick while the measured wake-up lateness
///     (`WakeupProbe`) stays punctual, doubling, halving when late, then growing by one;
///     under load nbrun does not cause (lateness that stays high whatever runs), a floor
///     of cells still runs, so the batch always progresses;
///   - `AdmissionWindow`: the cells running at once, grown by one per window's worth of
///     punctual finishes, halved by a late episode that lasts (20 ms), not by one late wake-up;
///   - `OneCorePacing`: while one-core cells remain, the others spread over their work;
///   - `CPUBudget`: the cells' own CPU (`CellCosts`) within a share of the cores, which
///     nothing overrides; it judges each demo's cells in the slice, which stops at a demo
///     not known yet or started one by one.
///   Every number is in `AdmissionSettings.production`.
///
/// Timing-sensitive cells go first (longest first), one-core cells beside them, exclusive
/// ones after they have all finished; a batch therefore takes about its longest
/// timing-sensitive cell, or its one-core cells one after another if longer, plus its
/// exclusive cells one after another: its floor. `--jobs N` caps the cells running at once.
struct AdmissionPolicy: Sendable {
    /// What the scheduler knows when it asks.
    struct State: Sendable {
        var waitingShared = 0
        var waitingExclusive = 0
        var runningShared = 0
        var runningExclusive = 0
        var waitingOneCore = 0
        var runningOneCore = 0
        /// Worst wake-up lateness seen since the last decision, in seconds.
        var lateness = 0.0
        /// Timing-sensitive cells finished so far (the window grows as they finish).
        var finishedShared = 0
        /// Seconds since the batch began.
        var elapsed = 0.0
        /// Recorded seconds of the one-core cells not yet started (0 when unknown).
        var oneCoreSecondsLeft = 0.0
        /// Recorded seconds of the next (longest) waiting timing-sensitive cell.
        var nextSharedSeconds = 0.0
        /// Waiting timing-sensitive cells in a row, from the next one, of the next one's
        /// demo (`nil`: all of them).
        var nextDemoWaiting: Int?
        /// The demos of the waiting cells after those, in runs of one demo, up to a slice.
        var followingDemos: [DemoRun] = []
        /// Cores the running timing-sensitive cells are known to keep busy (`CellCosts`).
        var reservedCores = 0.0
        /// Cores a cell of the next waiting one's demo needs; `nil` while not known yet.
        var nextSharedCores: Double? = 0
        /// Cells of the next waiting one's demo running now.
        var nextSharedDemoRunning = 0
        /// CPU seconds a cell of the next waiting one's demo takes; `nil` until one has finished.
        var nextSharedCPUSeconds: Double?
    }

    /// Waiting cells in a row of one demo, and what a cell of that demo needs of the cores
    /// (`CellCosts.need(of:)`: `nil` while not known yet).
    struct DemoRun: Sendable {
        var cells: Int
        var cores: Double?
        var cpu: Double?
    }

    enum Decision: Sendable, Equatable {
        /// Start this many timing-sensitive cells now.
        case admitShared(Int)
        /// Start the next CPU-bound cell, alone.
        case startExclusive
        /// Start the next one-core CPU-bound cell (beside timing-sensitive ones).
        case startOneCore
        /// Start nothing; ask again after a tick or when a cell finishes.
        case wait
    }

    /// `--jobs`: the most cells running at once (`nil`: no cap but the policy's).
    let jobs: Int?
    /// How many one-core cells may run together when no timing-sensitive cell runs or waits.
    let cores: Int
    private(set) var lateness: LatenessSlice
    private(set) var window: AdmissionWindow
    private(set) var pacing: OneCorePacing
    private(set) var cpu: CPUBudget

    /// A policy with `settings` on a machine of `cores` whose own wake-up lateness, before
    /// nbrun adds any load, is `baseline` seconds.
    init(settings: AdmissionSettings = .production, cores: Int, baseline: Double = 0, jobs: Int?) {
        self.jobs = jobs
        self.cores = max(1, cores)
        lateness = LatenessSlice(settings, baseline: baseline, cores: cores)
        window = AdmissionWindow(settings, cores: cores)
        pacing = OneCorePacing(settings)
        cpu = CPUBudget(settings, cores: cores)
    }

    mutating func decide(_ state: State) -> Decision {
        let running = state.runningShared + state.runningExclusive + state.runningOneCore
        let room = (jobs ?? Int.max) - running
        guard state.runningExclusive == 0, room > 0 else { return .wait }
        let punctual = lateness.observe(state.lateness)
        // The one-core lane first: it paces the batch, so it never waits on an admission.
        if state.waitingOneCore > 0, state.runningOneCore < oneCoreWidth(state), state.runningShared == 0 || punctual {
            return .startOneCore
        }
        if state.waitingShared > 0 {
            let count = sharedCells(state, room: room, punctual: punctual)
            if count > 0 { return .admitShared(count) }
        }
        if state.waitingShared == 0, state.waitingOneCore == 0, state.waitingExclusive > 0,
            state.runningShared == 0, state.runningOneCore == 0
        {
            return .startExclusive
        }
        return .wait
    }

    /// One-core cells at once: one, beside timing-sensitive cells (the other cores are
    /// their headroom); once none runs or waits, nothing needs that headroom, and they run
    /// one per core.
    private func oneCoreWidth(_ state: State) -> Int {
        state.waitingShared == 0 && state.runningShared == 0 ? cores : 1
    }

    /// How many timing-sensitive cells start now: the least that every bound allows.
    private mutating func sharedCells(_ state: State, room: Int, punctual: Bool) -> Int {
        // While the cells' own CPU holds them all back, the other bounds are not consulted
        // (nor do they learn from this tick).
        let cpuCap = cpu.cap(state)
        guard cpuCap > 0 else { return 0 }
        let count = min(
            state.waitingShared,
            room,  // `--jobs`
            cpuCap,
            lateness.cap(state, punctual: punctual),
            window.cap(state, punctual: punctual),
            pacing.cap(state, punctual: punctual))
        guard count > 0 else { return 0 }
        pacing.spend(count)
        cpu.spend(count)
        if punctual { lateness.grow() }
        return count
    }
}
