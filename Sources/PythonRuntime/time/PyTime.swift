import Foundation
import Futures
import Glibc
import SystemCalls

extension time {
    /// Python's `time.perf_counter()`: seconds on the monotonic clock.
    public static func perfCounter() -> Double {
        Clock.monotonic
    }
}

extension time {
    /// Python's `time.thread_time()`: the CPU time the calling thread has used, in seconds
    /// (`CLOCK_THREAD_CPUTIME_ID`). Time spent blocked, or waiting for the GIL, does not count.
    public static func threadTime() -> Double {
        Clock.threadCPU
    }
}

extension time {
    /// Python's `time.sleep(seconds)`: a real sleep of the calling thread, with the GIL
    /// released meanwhile.
    public static func sleep(_ seconds: Double) {
        withWaitKind(.sleep) { Ambient.blocking { Thread.sleep(forTimeInterval: seconds) } }
    }
}

extension time {
    /// Python's `time.monotonic()`: seconds on the monotonic clock (the same clock as
    /// `perf_counter` on Linux).
    public static func monotonic() -> Double {
        Clock.monotonic
    }

    /// Python's `time.time()`: seconds since the Unix epoch, on the wall clock.
    public static func time() -> Double {
        let now = Clock.realtime
        return Double(now.seconds) + Double(now.microseconds) / 1e6
    }
}

// MARK: Number formatting

/// Python's built-in `format(x, spec)` for the fixed-point specs a cell writes in an f-string:
/// `format(x, ".2f")` is `f'{x:.2f}'` (`.Nf`, C's `%.*f`, the same rounding as Python's).
public func format(_ x: Double, _ spec: String) -> String {
    guard spec.hasPrefix("."), spec.hasSuffix("f"), let places = Int(spec.dropFirst().dropLast()) else {
        preconditionFailure("ValueError: format spec '\(spec)' is not '.Nf' (the one form supported)")
    }
    return fixed(x, places: places)
}

/// `f'{x:.Nf}'` for `N = places`, for nbrun's own texts (the timeline's ticks, the GIL's warnings).
package func fixed(_ x: Double, places: Int) -> String {
    String(format: "%.\(max(0, places))f", x)
}
