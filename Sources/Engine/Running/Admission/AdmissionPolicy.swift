/// Decides, moment by moment, which cells may start, so that what a cell measures is what
/// it would measure on a quiet machine, whatever the size of the batch.
///
/// Three kinds of cells distort each other differently:
/// - **CPU-bound** cells (`Demo.Load.allCores`: a race, CPU burned across processes) need the
///   cores to themselves: their output or their times depend on having them. They run
///   *exclusively*: one at a time, and only while no other cell runs.
/// - **One-core** CPU-bound cells (`Demo.Load.oneCore`: threads that take turns on their
///   cell's GIL, like the lock cell) keep one core busy. One at a time, they may run beside
///   timing-sensitive cells while wake-ups are punctual, leaving those the other core; never
///   beside an exclusive cell.
/// - **Timing-sensitive** cells (all the others: sleeps, joins, executors) mostly wait,
///   so many can run at once, but each one's printed times grow with how late its threads
///   wake up. They are *admitted* while the measured wake-up lateness (`WakeupProbe`)
///   stays under `latenessLimit`: a slice of cells per tick, the slice doubling while
///   wake-ups stay punctual, halving as soon as one is late (and admission pausing until
///   the remembered lateness decays), then growing by one per punctual tick.
///
/// What an admitted cell costs shows up only later, when its threads wake up together
/// with those of the cells admitted beside it, so admission must not outrun what it has
/// seen. Three bounds see to that:
/// - a **window** on the cells running at once. It starts at `initialWindow`, halves at
///   each late episode, and grows by one for each window's worth of cells that finished
///   punctually, never faster: a window that doubled as cells finished (TCP's slow start)
///   let 1000 copies reach 3000 cells at once, and their wake-ups then came 0.25–0.5 s late.
/// - **pacing**: while one-core cells are still to run, the one-core lane sets the batch's
///   pace anyway, so the timing-sensitive cells are spread over the time it still needs
///   (by the durations their last runs recorded) instead of crowding its start.
/// - **the cells' own CPU**: some timing-sensitive cells also compute (10,000 asyncio
///   tasks on one loop: ~80 ms of CPU in 0.55 s), and by the hundred they would share the
///   cores too thinly while the probe, a sleeper the kernel favours, still wakes on time.
///   Each demo's need is learned from its cells (`CellCosts`: one cell per core runs until
///   one has finished, unless the first shows within 20 ms that it only waits); the
///   running cells' needs stay within `busyShare` of the cores the one-core lane leaves,
///   and such cells start one by one, as fast as the cores serve their CPU time. Nothing
///   overrides this bound.
/// Under load nbrun does not cause (lateness that stays high whatever runs),
/// `minimumRunning` cells still run, so the batch always progresses.
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
        /// Cores the running timing-sensitive cells are known to keep busy (`CellCosts`).
        var reservedCores = 0.0
        /// Cores a cell of the next waiting one's demo needs; `nil` while not known yet.
        var nextSharedCores: Double? = 0
        /// Cells of the next waiting one's demo running now.
        var nextSharedDemoRunning = 0
        /// CPU seconds a cell of the next waiting one's demo takes; `nil` until one has finished.
        var nextSharedCPUSeconds: Double?
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
    /// Wake-ups later than this (seconds, over the machine's own baseline) stop admission.
    let latenessLimit: Double
    /// Timing-sensitive cells allowed to run whatever the lateness, so the batch progresses.
    let minimumRunning: Int
    /// The largest slice admitted in one tick.
    let maximumSlice: Int
    /// The machine's cores, for `busyShare`.
    let cores: Double
    /// The share of the cores left to them that timing-sensitive cells may keep busy: the
    /// rest is headroom, so the wake-ups of cells started together are served at once.
    let busyShare = 0.75
    /// Cells of a demo whose need is not known yet that may run at once: the first to
    /// finish teaches it.
    var learningCells: Int { Int(cores) }
    /// Cells to admit on the next punctual tick.
    private(set) var slice = 1
    /// Lateness as admission remembers it: a late wake-up holds admission back for a few
    /// ticks (it decays by `memory` per decision), not just for the tick that saw it.
    private(set) var recentLateness = 0.0
    let memory = 0.9
    /// Set by the first late wake-up: from then on the slice grows by one, not twice.
    private(set) var hasBeenLate = false
    /// The most timing-sensitive cells allowed to run at once: grows by one per window's
    /// worth of cells finished punctually; each late episode halves it to half of what was
    /// running.
    private(set) var window: Int
    private var wasLate = false
    private var finishedSeen = 0
    private var growthCredit = 0
    /// Admissions the one-core lane's pace allows and not yet used (fractional).
    private var pacingCredit = 0.0
    private var pacedAt: Double?
    /// Starts of CPU-needy cells the cores can serve now (at most one).
    private var cpuCredit = 1.0
    private var cpuPacedAt: Double?

    init(
        jobs: Int?, latenessLimit: Double = 0.005, minimumRunning: Int = 2, maximumSlice: Int = 16,
        initialWindow: Int = 1024, cores: Int = 2
    ) {
        self.jobs = jobs
        self.cores = Double(max(1, cores))
        self.window = max(1, initialWindow)
        self.latenessLimit = latenessLimit
        self.minimumRunning = max(1, minimumRunning)
        self.maximumSlice = max(1, maximumSlice)
    }

    mutating func decide(_ state: State) -> Decision {
        let running = state.runningShared + state.runningExclusive + state.runningOneCore
        let room = (jobs ?? Int.max) - running
        guard state.runningExclusive == 0, room > 0 else { return .wait }
        recentLateness = max(state.lateness, recentLateness * memory)
        let punctual = recentLateness <= latenessLimit
        // The one-core lane first: it paces the batch, so it never waits on an admission.
        if state.waitingOneCore > 0, state.runningOneCore == 0, state.runningShared == 0 || punctual {
            return .startOneCore
        }
        if state.waitingShared > 0, let admitted = admitShared(state, room: room, punctual: punctual) {
            return admitted
        }
        if state.waitingShared == 0, state.waitingOneCore == 0, state.waitingExclusive > 0,
            state.runningShared == 0, state.runningOneCore == 0
        {
            return .startExclusive
        }
        return .wait
    }

    /// How many cells of the next waiting one's demo the cores can take beside those
    /// running (`nil`: its need is negligible). The timing-sensitive cells' needs must stay
    /// within `busyShare` of the cores the one-core lane leaves them; one always may run.
    func cellsTheCoresTake(_ state: State) -> Int? {
        guard let need = state.nextSharedCores else { return max(0, learningCells - state.nextSharedDemoRunning) }
        guard need >= CellCosts.lightNeed else { return nil }
        let room = Int(((cpuBudget(state) - state.reservedCores) / need).rounded(.down))
        return state.runningShared == 0 ? max(1, room) : max(0, room)
    }

    /// The cores timing-sensitive cells may keep busy: `busyShare` of what the one-core
    /// lane leaves them.
    private func cpuBudget(_ state: State) -> Double {
        busyShare * (cores - Double(min(state.runningOneCore, 1)))
    }

    /// How many CPU-needy cells may start now (`nil`: the next cell's CPU is negligible or
    /// unknown). They start one by one, each when the cores could have served the CPU time
    /// of the one before: started together, their first bursts of work would queue for
    /// the cores at the moment each measures.
    private mutating func cpuPacedStarts(_ state: State) -> Int? {
        let since = state.elapsed - (cpuPacedAt ?? state.elapsed)
        cpuPacedAt = state.elapsed
        guard let cpu = state.nextSharedCPUSeconds, cpu >= 0.005 else {
            cpuCredit = 1
            return nil
        }
        cpuCredit = min(cpuCredit + since * cpuBudget(state) / cpu, 1)
        return Int(cpuCredit)
    }

    /// The timing-sensitive cells to start now, or `nil` when none may start this tick.
    private mutating func admitShared(_ state: State, room: Int, punctual: Bool) -> Decision? {
        // CPU the cells themselves need: not even the floor below overrides it.
        let cpuPaced = cpuPacedStarts(state)
        let cpuRoom = min(cellsTheCoresTake(state) ?? .max, cpuPaced ?? .max)
        guard cpuRoom > 0 else { return nil }
        if !punctual {
            finishedSeen = state.finishedShared  // cells that finished late earn no growth
            slice = max(1, slice / 2)
            if !wasLate { window = max(minimumRunning, min(window, state.runningShared) / 2) }
            hasBeenLate = true
            wasLate = true
            guard state.runningShared < minimumRunning else { return nil }
            let count = min(slice, minimumRunning - state.runningShared, state.waitingShared, room, cpuRoom)
            if cpuPaced != nil { cpuCredit -= Double(count) }
            return .admitShared(count)
        }
        wasLate = false
        growWindow(finished: state.finishedShared)
        let paced = pacedAdmissions(state)
        let count = min(slice, state.waitingShared, room, window - state.runningShared, paced ?? .max, cpuRoom)
        guard count > 0 else { return nil }
        if paced != nil { pacingCredit -= Double(count) }
        if cpuPaced != nil { cpuCredit -= Double(count) }
        // Doubling until the first late wake-up, then one more per punctual tick: the
        // cost of admitted cells shows up later (their wake-ups), so approach it slowly.
        slice = min(hasBeenLate ? slice + 1 : slice * 2, maximumSlice)
        return .admitShared(count)
    }

    /// How many cells the one-core lane's pace allows now, or `nil` when there is no such
    /// lane to keep pace with: the waiting cells spread evenly over the lane's remaining
    /// work, less the next cell's own duration, so the last ones end with the lane.
    private mutating func pacedAdmissions(_ state: State) -> Int? {
        let since = state.elapsed - (pacedAt ?? state.elapsed)
        pacedAt = state.elapsed
        let horizon = state.oneCoreSecondsLeft - state.nextSharedSeconds
        guard horizon > 0 else {
            pacingCredit = 0
            return nil
        }
        // Unused credit is not banked beyond one slice: that would be a burst.
        pacingCredit = min(pacingCredit + Double(state.waitingShared) * since / horizon, Double(maximumSlice))
        return Int(pacingCredit)
    }

    private mutating func growWindow(finished: Int) {
        let newlyFinished = max(0, finished - finishedSeen)
        finishedSeen = finished
        growthCredit += newlyFinished
        if growthCredit >= window {
            growthCredit -= window
            window += 1
        }
    }
}
