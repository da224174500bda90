import Foundation
import Futures
import Glibc
import SystemCalls

/// Python's `time.perf_counter()`: seconds on the monotonic clock.
public func perfCounter() -> Double {
    Clock.monotonic
}

/// Python's `time.thread_time()`: the CPU time the calling thread has used, in seconds
/// (`CLOCK_THREAD_CPUTIME_ID`). Time spent blocked, or waiting for the GIL, does not count.
public func threadTime() -> Double {
    Clock.threadCPU
}

/// Python's `time.sleep(seconds)`: a real sleep of the calling thread, with the GIL
/// released meanwhile.
public func sleep(_ seconds: Double) {
    withWaitKind(.sleep) { Ambient.blocking { Thread.sleep(forTimeInterval: seconds) } }
}

// MARK: Number formatting

/// Python's `f'{x:.1f}'`.
public func f1(_ x: Double) -> String {
    fixed(x, places: 1)
}

/// Python's `f'{x:.2f}'`.
public func f2(_ x: Double) -> String {
    fixed(x, places: 2)
}

/// Python's `f'{x:.3f}'`.
public func f3(_ x: Double) -> String {
    fixed(x, places: 3)
}

/// Python's `f'{x:.Nf}'` for `N = places` (C's `%.*f`, the same rounding as Python's).
public func fixed(_ x: Double, places: Int) -> String {
    String(format: "%.\(max(0, places))f", x)
}
