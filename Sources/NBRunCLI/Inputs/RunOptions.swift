import ArgumentParser
import Engine

/// Options every verb that runs cells shares (`run`, `check`).
struct RunOptions: ParsableArguments {
    @Option(
        name: [.short, .long],
        help: "Run at most N cells at once (default: all side by side; 1: one at a time, in order).")
    var jobs: Int?

    @Option(help: "Give each cell at most SECONDS; an overrunning cell gets a timeout error and is not waited for.")
    var timeout: Double?

    @Flag(
        help: """
            At a cell's timeout, raise KeyboardInterrupt where its main thread waits and go on with \
            the notebook if the cell is tagged raises-exception (nbclient's interrupt_on_timeout).
            """)
    var interruptOnTimeout = false

    @Option(help: "Seed every cell's random generator, so random draws repeat from run to run.")
    var seed: UInt64?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let timeout, !(timeout > 0 && timeout.isFinite) {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
    }

    var engineOptions: EngineOptions {
        var options = EngineOptions(jobs: jobs, timeout: timeout, seed: seed)
        options.interruptOnTimeout = interruptOnTimeout
        return options
    }
}
