import Glibc
import PythonRuntime
import Synchronization
import SystemCalls

/// The shared state of the race and lock cells of `02-threads`.
extension Threads02 {
    /// The race cell's start line. CPython spends ~10 ms on each thread's loop, far longer
    /// than starting a thread or than the scheduler takes to spread busy threads over the
    /// cores, so the four loops overlap. The Swift loop takes well under a millisecond: the
    /// threads (woken where the thread that started them runs) would mostly run one after
    /// another on one core, and lose nothing (the loop is done before the kernel moves one).
    /// So each thread is spread to a core of its own (the n-th to arrive on core n mod the
    /// cores it may use, given back when it leaves) and waits here, yielding, until all four
    /// have arrived; the last ones to arrive set off together, on different cores. That is
    /// the overlap the Python has, and nothing else; every lost update is a real one.
    final class StartGate: Sendable {
        private let arrived = Atomic<Int>(0)
        private let parties: Int

        init(parties: Int) {
            self.parties = parties
        }

        /// Runs `body` on the calling thread once every party has arrived, spread over the cores.
        func runTogether(_ body: () -> Void) {
            let place = arrived.add(1, ordering: .sequentiallyConsistent).newValue - 1
            let spread = CoreSpread(place: place)
            defer { spread?.restore() }
            let giveUp = time.perfCounter() + 0.2  // never hang, even where a thread is never scheduled
            // Yield while waiting: on a busy machine the threads still to arrive need the core.
            while arrived.load(ordering: .sequentiallyConsistent) < parties, time.perfCounter() < giveUp {
                sched_yield()
            }
            body()
        }
    }

    /// The calling thread moved to one of the cores it may use, until `restore()`: its
    /// threads are cached and reused by other cells, which must not inherit the move.
    /// `nil` where the cores cannot be read or set (or on one core): the thread stays.
    struct CoreSpread {
        private let saved: CPUAffinity

        /// Moves the calling thread to the `place`-th core it may use (modulo their number).
        init?(place: Int) {
            guard let mask = CPUAffinity.ofCallingThread() else { return nil }
            let cores = mask.cores
            guard cores.count > 1, CPUAffinity(core: cores[place % cores.count]).apply() else { return nil }
            saved = mask
        }

        /// The cores the calling thread may run on; `nil` if that cannot be read.
        static func allowedCores() -> [Int]? { CPUAffinity.ofCallingThread()?.cores }

        func restore() {
            saved.apply()
        }
    }

    /// The shared `counter` of the race cell, where `counter += 1` is what it is in
    /// Python: a read, an add and a write. The read and the write are each atomic (no
    /// undefined behaviour, no data race for ThreadSanitizer), but other threads' writes
    /// can land between them and be overwritten: lost updates. Acquire and release are all
    /// a read and a write need (on x86 a plain load and store, as compiled code does).
    final class RacyCounter: Sendable {
        private let value = Atomic<Int>(0)
        func load() -> Int { value.load(ordering: .acquiring) }
        func store(_ newValue: Int) { value.store(newValue, ordering: .releasing) }
    }

    /// The lock cell's `counter`: a plain `Int`, only touched while holding `lock`
    /// (or after the threads are joined).
    final class Counter: @unchecked Sendable {
        var value = 0
    }
}
