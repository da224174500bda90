import Glibc

/// The clocks nbrun reads, one `clock_gettime` for all (Python's `time.perf_counter()` and
/// `time.monotonic()` are the monotonic clock on Linux, `time.thread_time()` the thread's CPU clock).
package enum Clock {
    /// Seconds on `clock`; `nil` if it cannot be read (the CPU clock of a thread that is gone).
    package static func seconds(_ clock: clockid_t) -> Double? {
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return nil }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Nanoseconds on `clock` (0 if it cannot be read).
    package static func nanoseconds(_ clock: clockid_t) -> Int64 {
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return 0 }
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// Seconds on the monotonic clock: for measuring intervals.
    package static var monotonic: Double { seconds(CLOCK_MONOTONIC) ?? 0 }

    /// Nanoseconds on the monotonic clock.
    package static var monotonicNanoseconds: Int64 { nanoseconds(CLOCK_MONOTONIC) }

    /// CPU seconds the calling thread has used.
    package static var threadCPU: Double { seconds(CLOCK_THREAD_CPUTIME_ID) ?? 0 }

    /// The wall clock (`CLOCK_REALTIME`) as whole seconds and the microseconds past them.
    package static var realtime: (seconds: Int, microseconds: Int) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return (Int(time.tv_sec), Int(time.tv_nsec / 1000))
    }
}
