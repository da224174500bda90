import Glibc
import PythonRuntime
import Synchronization

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
    /// glibc's `pthread_*affinity_np` are not in Swift's Glibc module; they are looked up
    /// once. `nil` where they cannot be (or on one core): the thread stays where it is.
    struct CoreSpread {
        private typealias Affinity = @convention(c) (pthread_t, Int, UnsafeMutableRawPointer) -> Int32
        private static let calls: (get: Affinity, set: Affinity)? = {
            let program = dlopen(nil, RTLD_NOW)
            guard let get = dlsym(program, "pthread_getaffinity_np"), let set = dlsym(program, "pthread_setaffinity_np")
            else { return nil }
            return (unsafeBitCast(get, to: Affinity.self), unsafeBitCast(set, to: Affinity.self))
        }()
        private let saved: cpu_set_t

        /// Moves the calling thread to the `place`-th core it may use (modulo their number).
        init?(place: Int) {
            guard let calls = Self.calls, let mask = Self.mask() else { return nil }
            let cores = Self.cores(in: mask)
            guard cores.count > 1 else { return nil }
            let core = cores[place % cores.count]
            var one = cpu_set_t()
            withUnsafeMutableBytes(of: &one) { $0[core / 8] |= 1 << (core % 8) }
            guard calls.set(pthread_self(), MemoryLayout<cpu_set_t>.size, &one) == 0 else { return nil }
            saved = mask
        }

        /// The cores the calling thread may run on; `nil` if that cannot be read.
        static func allowedCores() -> [Int]? { mask().map(cores(in:)) }

        private static func mask() -> cpu_set_t? {
            var mask = cpu_set_t()
            guard let calls, calls.get(pthread_self(), MemoryLayout<cpu_set_t>.size, &mask) == 0 else { return nil }
            return mask
        }

        private static func cores(in mask: cpu_set_t) -> [Int] {
            withUnsafeBytes(of: mask) { bits in (0..<bits.count * 8).filter { bits[$0 / 8] & (1 << ($0 % 8)) != 0 } }
        }

        func restore() {
            var mask = saved
            _ = Self.calls?.set(pthread_self(), MemoryLayout<cpu_set_t>.size, &mask)
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
