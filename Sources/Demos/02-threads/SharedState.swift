import Glibc
import PythonRuntime
import Synchronization

/// The shared state of the race and lock cells of `02-threads`.
extension Threads02 {
    /// The race cell's start line. CPython spends ~10 ms on each thread's loop, far longer
    /// than starting a thread, so the four loops overlap. The Swift loop takes well under a
    /// millisecond, less than starting the next thread (and each thread first takes the GIL
    /// in turn), so the loops would mostly run one after another. Each thread waits here,
    /// yielding, until all four have arrived, so the last ones to arrive set off together,
    /// on different cores. That is the overlap the Python has, and nothing else; every lost
    /// update is a real one.
    final class StartGate: Sendable {
        private let arrived = Atomic<Int>(0)
        private let parties: Int

        init(parties: Int) {
            self.parties = parties
        }

        func arriveAndWait() {
            arrived.add(1, ordering: .sequentiallyConsistent)
            let giveUp = perfCounter() + 0.2  // never hang, even where a thread is never scheduled
            // Yield while waiting: on a busy machine the threads still to arrive need the core.
            while arrived.load(ordering: .sequentiallyConsistent) < parties, perfCounter() < giveUp { sched_yield() }
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
