/// Every number admission runs with. `production` is what nbrun runs, and what the unit
/// tests exercise; the machine's own facts (its cores, its baseline lateness) are not
/// settings, they are measured and passed beside them.
struct AdmissionSettings: Sendable, Equatable {
    // MARK: Lateness (`LatenessSlice`)

    /// Wake-ups later than this (seconds) over the machine's own baseline stop admission.
    var latenessAllowance = 0.005
    /// The share of the remembered lateness kept at each decision: one late wake-up holds
    /// admission back for a few ticks, not just for the tick that saw it.
    var latenessMemory = 0.9
    /// Cells admitted on the first punctual tick; the slice doubles from there.
    var initialSlice = 1
    /// The largest slice admitted in one tick.
    var maximumSlice = 16
    /// Timing-sensitive cells per core that run whatever the lateness: sleeping cells cost
    /// the cores next to nothing, so other programs' load (which no admission can remove)
    /// slows a batch but never starves it.
    var minimumRunningPerCore = 128

    // MARK: Window (`AdmissionWindow`)

    /// The most timing-sensitive cells running at once before the first late episode.
    var initialWindow = 1024
    /// Seconds wake-ups must stay late (as `LatenessSlice` remembers them) before the
    /// episode halves the window: longer than a burst of thread starts lasts, far shorter
    /// than an overload that admission caused.
    var sustainedLateness = 0.02

    // MARK: The cells' own CPU (`CPUBudget`, `CellCosts`)

    /// The share of the cores left to timing-sensitive cells that they may keep busy: the
    /// rest is headroom, so the wake-ups of cells started together are served at once.
    var busyShare = 0.75
    /// Cells per core of a demo whose need is not known yet that may run at once: the
    /// first to finish teaches it.
    var learningCellsPerCore = 1
    /// Cores below which a demo's need is negligible (its cells only wait).
    var lightNeed = 0.01
    /// CPU seconds per cell from which a demo's cells start one by one, each when the
    /// cores could have served the one before.
    var cpuNeedySeconds = 0.005
    /// How long a demo's first cell must have run before its CPU so far can show that it
    /// only waits.
    var glimpse = 0.02

    // MARK: The admission loop and its probe (`CellScheduler`, `WakeupProbe`)

    /// How often the admission loop decides when no cell finishes to wake it (seconds).
    var tick = 0.002
    /// How long the probe sleeps at a time (seconds).
    var probePeriod = 0.001
    /// Every this many sleeps the probe also times a thread start.
    var probeThreadStartEvery = 8
    /// Sleeps of the probe whose median is the machine's baseline lateness.
    var baselineSamples = 15

    /// The numbers nbrun runs with.
    static let production = AdmissionSettings()
}
