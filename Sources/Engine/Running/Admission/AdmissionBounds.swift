/// The bounds `AdmissionPolicy` takes the least of. Each one returns its cap: how many
/// timing-sensitive cells it lets start on this decision (`Int.max`: it does not limit).

/// Starts that a rate allows and that are not used yet: the one-core pacing's and the CPU
/// pacing's accumulator. It accrues with the time between decisions, up to a cap (credit
/// banked beyond it would be a burst), and the cells admitted on it spend it.
struct StartCredit: Sendable {
    private(set) var balance: Double
    private var lastDecision: Double?
    /// Whether the last decision had a rate to keep: only then do admitted cells spend.
    private var active = false

    init(balance: Double) {
        self.balance = balance
    }

    /// The whole starts the credit allows at `now` (seconds), accruing `rate` starts per
    /// second since the last decision; `nil` when there is no rate to keep, and then the
    /// balance is `idle`.
    mutating func starts(at now: Double, rate: Double?, cap: Double, idle: Double) -> Int? {
        let since = now - (lastDecision ?? now)
        lastDecision = now
        active = rate != nil
        guard let rate else {
            balance = idle
            return nil
        }
        balance = min(balance + since * rate, cap)
        return Int(balance)
    }

    /// This decision does not consult the credit: the cells it admits do not spend it.
    mutating func skip() { active = false }

    mutating func spend(_ count: Int) {
        if active { balance -= Double(count) }
    }
}

/// The lateness bound: a slice of cells per tick while the probe's wake-ups stay within
/// the allowance, doubling until the first late wake-up, then growing by one per punctual
/// tick (the cost of admitted cells shows up later, in their wake-ups, so it is approached
/// slowly); a late tick halves it, and then only the floor of cells that always run is
/// admitted.
struct LatenessSlice: Sendable {
    /// Wake-ups later than this (seconds: the machine's baseline plus the allowance) are late.
    let limit: Double
    let memory: Double
    let maximumSlice: Int
    /// Cells that run whatever the lateness, so the batch always progresses.
    let minimumRunning: Int
    /// Cells to admit on the next punctual tick.
    private(set) var slice: Int
    /// Lateness as admission remembers it: it decays by `memory` per decision.
    private(set) var recentLateness = 0.0
    /// Set by the first late tick: from then on the slice grows by one, not twice.
    private var hasBeenLate = false

    init(_ settings: AdmissionSettings, baseline: Double, cores: Int) {
        limit = settings.latenessAllowance + baseline
        memory = settings.latenessMemory
        maximumSlice = max(1, settings.maximumSlice)
        minimumRunning = max(1, settings.minimumRunningPerCore * cores)
        slice = max(1, settings.initialSlice)
    }

    /// Remembers the worst lateness seen since the last decision; whether wake-ups are
    /// punctual now.
    mutating func observe(_ lateness: Double) -> Bool {
        recentLateness = max(lateness, recentLateness * memory)
        return recentLateness <= limit
    }

    mutating func cap(_ state: AdmissionPolicy.State, punctual: Bool) -> Int {
        if punctual { return slice }
        slice = max(1, slice / 2)
        hasBeenLate = true
        return min(slice, minimumRunning - state.runningShared)
    }

    /// Cells were admitted on a punctual tick: the next slice grows.
    mutating func grow() {
        slice = min(hasBeenLate ? slice + 1 : slice * 2, maximumSlice)
    }
}

/// The window: the most timing-sensitive cells running at once. It grows by one per
/// window's worth of cells that finished punctually, never faster (a window that doubled
/// as cells finished let 1000 copies reach 3000 cells at once, and their wake-ups then
/// came 0.25–0.5 s late). A late episode that lasts `sustained` seconds while more than the
/// floor runs halves it, once, to half of what is running. One late wake-up (a burst of
/// thread starts as hundreds of cells begin) pauses the slice but costs no window: when a
/// 6 ms blip, or a 13 ms one while 77 cells ran, cut it to the floor, 100 fresh copies of
/// 02 held back their longest cells for half a second. While wake-ups are late the window
/// does not limit: the floor of cells that always run does.
struct AdmissionWindow: Sendable {
    let floor: Int
    /// Seconds a late episode lasts before it halves the window.
    let sustained: Double
    private(set) var size: Int
    /// When the current late episode began (`nil`: wake-ups are punctual).
    private var lateSince: Double?
    private var halvedThisEpisode = false
    private var finishedSeen = 0
    private var growthCredit = 0

    init(_ settings: AdmissionSettings, cores: Int) {
        floor = max(1, settings.minimumRunningPerCore * cores)
        sustained = max(0, settings.sustainedLateness)
        size = max(1, settings.initialWindow)
    }

    mutating func cap(_ state: AdmissionPolicy.State, punctual: Bool) -> Int {
        guard punctual else {
            finishedSeen = state.finishedShared  // cells that finished late earn no growth
            let since = lateSince ?? state.elapsed
            lateSince = since
            // Only cells above the floor are the window's doing: the floor runs whatever
            // the lateness, so lateness at or below it is no reason to shrink.
            if !halvedThisEpisode, state.elapsed - since >= sustained, state.runningShared > floor {
                size = max(floor, min(size, state.runningShared) / 2)
                halvedThisEpisode = true
            }
            return .max
        }
        lateSince = nil
        halvedThisEpisode = false
        growthCredit += max(0, state.finishedShared - finishedSeen)
        finishedSeen = state.finishedShared
        if growthCredit >= size {
            growthCredit -= size
            size += 1
        }
        return size - state.runningShared
    }
}

/// The one-core pacing: while one-core cells are still to run, that lane sets the batch's
/// pace anyway, so the waiting timing-sensitive cells are spread evenly over its remaining
/// recorded work, less the next cell's own duration (so the last ones end with the lane),
/// instead of crowding its start. Only on punctual ticks.
struct OneCorePacing: Sendable {
    /// Unused credit is not banked beyond one slice: that would be a burst.
    let bank: Double
    private var credit = StartCredit(balance: 0)

    init(_ settings: AdmissionSettings) {
        bank = Double(max(1, settings.maximumSlice))
    }

    mutating func cap(_ state: AdmissionPolicy.State, punctual: Bool) -> Int {
        guard punctual else {
            credit.skip()
            return .max
        }
        // Recorded durations are hints (`CellTiming.plausibleSeconds`); whatever they say,
        // no one-core work left means no pacing, and a cell's own duration only shortens it.
        let left = state.oneCoreSecondsLeft.isFinite ? max(0, state.oneCoreSecondsLeft) : 0
        let horizon = left > 0 ? left - max(0, state.nextSharedSeconds) : 0
        let rate = horizon > 0 ? Double(state.waitingShared) / horizon : nil
        return credit.starts(at: state.elapsed, rate: rate, cap: bank, idle: 0) ?? .max
    }

    mutating func spend(_ count: Int) { credit.spend(count) }
}

/// The cells' own CPU: some timing-sensitive cells also compute (10,000 asyncio tasks on
/// one loop: ~80 ms of CPU in 0.55 s), and by the hundred they would share the cores too
/// thinly while the probe, a sleeper the kernel favours, still wakes on time. The running
/// cells' needs (`CellCosts`) stay within `busyShare` of the cores the one-core lane
/// leaves; a demo whose need is not known yet runs one cell per core until one has
/// finished; and CPU-needy cells start one by one, each when the cores could have served
/// the CPU time of the one before (started together, their first bursts of work would
/// queue for the cores at the moment each measures). Nothing overrides this bound.
struct CPUBudget: Sendable {
    let cores: Double
    let busyShare: Double
    let lightNeed: Double
    let cpuNeedySeconds: Double
    let learningCells: Int
    /// Starts of CPU-needy cells the cores can serve now (at most one).
    private var credit = StartCredit(balance: 1)

    init(_ settings: AdmissionSettings, cores: Int) {
        self.cores = Double(max(1, cores))
        busyShare = settings.busyShare
        lightNeed = settings.lightNeed
        cpuNeedySeconds = settings.cpuNeedySeconds
        learningCells = max(1, settings.learningCellsPerCore * max(1, cores))
    }

    /// The cores timing-sensitive cells may keep busy: `busyShare` of what the one-core
    /// lane leaves them.
    func budget(_ state: AdmissionPolicy.State) -> Double {
        busyShare * (cores - Double(min(state.runningOneCore, 1)))
    }

    /// How many cells of the next waiting one's demo the cores take beside those running
    /// (`nil`: its need is negligible); one always may run.
    func cellsTheCoresTake(_ state: AdmissionPolicy.State) -> Int? {
        guard let need = state.nextSharedCores else { return max(0, learningCells - state.nextSharedDemoRunning) }
        guard need >= lightNeed else { return nil }
        let room = Int(((budget(state) - state.reservedCores) / need).rounded(.down))
        return state.runningShared == 0 ? max(1, room) : max(0, room)
    }

    /// The cells that may start as far as the cores go. The next cell's demo is judged as
    /// above; a slice goes on past its cells only when all of them fit and none is paced,
    /// over the following demos' cells while the cores take them too (their needs added to
    /// what is reserved), and stops at a demo not known yet or paced. (A fresh course comes
    /// in document order, a demo at a time: stopping at every demo would start one cell
    /// per tick.)
    mutating func cap(_ state: AdmissionPolicy.State) -> Int {
        let cpu = state.nextSharedCPUSeconds ?? 0
        let rate = cpu >= cpuNeedySeconds ? budget(state) / cpu : nil
        let paced = credit.starts(at: state.elapsed, rate: rate, cap: 1, idle: 1)
        let first = min(cellsTheCoresTake(state) ?? .max, paced ?? .max)
        guard let run = state.nextDemoWaiting else { return first }
        guard first >= run, paced == nil, let need = state.nextSharedCores else { return min(first, run) }
        var cells = run
        var reserved = state.reservedCores + Double(run) * need
        for next in state.followingDemos {
            guard let need = next.cores, (next.cpu ?? 0) < cpuNeedySeconds else { break }
            let fit = need < lightNeed ? next.cells : Int(((budget(state) - reserved) / need).rounded(.down))
            let taken = min(max(0, fit), next.cells)
            cells += taken
            reserved += Double(taken) * need
            guard taken == next.cells else { break }
        }
        return cells
    }

    mutating func spend(_ count: Int) { credit.spend(count) }
}
