import Foundation
import Synchronization
import SystemCalls

/// Measures how late a sleeping thread wakes up: the delay every timing-sensitive cell
/// suffers on each `sleep`, `join` or `result()`, and so what its printed times gain.
///
/// A thread of its own sleeps `period` again and again and records how far past its
/// deadline it woke. On a quiet machine that is tens of microseconds; once runnable
/// threads queue for the cores it grows to milliseconds. `takeWorst()` also counts a
/// wake-up that is overdue right now, so a probe starved of the cores still reports it.
final class WakeupProbe: Sendable {
    let period: Duration
    private let worst = Atomic<Int64>(0)  // nanoseconds, since the last `takeWorst`
    private let waitingSince = Atomic<Int64>(0)  // monotonic ns; 0 while awake
    private let expectedWait = Atomic<Int64>(0)  // ns the current wait should take
    private let stopped = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Every this many sleeps, a thread start is timed too.
    let threadStartEvery: Int
    /// Sleeps whose median is `baseline()`.
    let baselineSamples: Int

    init(settings: AdmissionSettings = .production) {
        period = .nanoseconds(Int64((settings.probePeriod * 1e9).rounded()))
        threadStartEvery = max(1, settings.probeThreadStartEvery)
        baselineSamples = max(1, settings.baselineSamples)
    }

    static func monotonicNanoseconds() -> Int64 {
        Clock.monotonicNanoseconds
    }

    private var periodNanoseconds: Int64 {
        let (seconds, attoseconds) = period.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    func start() {
        let thread = Thread { [self] in
            let periodNS = periodNanoseconds
            var request = timespec(tv_sec: Int(periodNS / 1_000_000_000), tv_nsec: Int(periodNS % 1_000_000_000))
            var round = 0
            while !stopped.load(ordering: .relaxed) {
                let before = Self.monotonicNanoseconds()
                expectedWait.store(periodNS, ordering: .relaxed)
                waitingSince.store(before, ordering: .relaxed)
                nanosleep(&request, nil)
                let late = Self.monotonicNanoseconds() - before - periodNS
                waitingSince.store(0, ordering: .relaxed)
                worst.max(late, ordering: .relaxed)
                round += 1
                if round % threadStartEvery == 0 { worst.max(threadStartDelay(), ordering: .relaxed) }
            }
            exited.signal()
        }
        thread.name = "nbrun-wakeup-probe"
        thread.start()
    }

    /// How long a new thread takes to start running: what a cell pays for each thread it
    /// starts, which a sleeping thread's wake-ups do not show when `clone` and stack set-up
    /// (the process's memory map lock) are the bottleneck.
    private func threadStartDelay() -> Int64 {
        let started = Atomic<Int64>(0)
        let running = DispatchSemaphore(value: 0)
        let before = Self.monotonicNanoseconds()
        waitingSince.store(before, ordering: .relaxed)  // a stalled start shows as overdue
        expectedWait.store(0, ordering: .relaxed)
        defer { waitingSince.store(0, ordering: .relaxed) }
        let thread = Thread {
            started.store(Self.monotonicNanoseconds(), ordering: .relaxed)
            running.signal()
        }
        thread.start()
        running.wait()
        return started.load(ordering: .relaxed) - before
    }

    /// The worst lateness, in seconds, since the last call (or an overdue wake-up's).
    func takeWorst() -> Double {
        var late = worst.exchange(0, ordering: .relaxed)
        let since = waitingSince.load(ordering: .relaxed)
        if since != 0 {
            late = max(late, Self.monotonicNanoseconds() - since - expectedWait.load(ordering: .relaxed))
        }
        return Double(max(0, late)) / 1e9
    }

    /// The machine's lateness before nbrun adds any load: the median of `baselineSamples` periods.
    func baseline() -> Double {
        var seen: [Double] = []
        for _ in 0..<baselineSamples {
            Thread.sleep(forTimeInterval: Double(periodNanoseconds) / 1e9)
            seen.append(takeWorst())
        }
        return seen.sorted()[seen.count / 2]
    }

    func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        exited.wait()
    }
}
