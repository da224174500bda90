import Dispatch
import Foundation
import Glibc

extension Threads02 {
    /// Python's `threading.Thread(target=...)`: `start()` runs `target` on a new OS thread
    /// (a Foundation `Thread`); `join()` blocks until it has returned (any number of times).
    final class PyThread {
        private let thread: Thread
        private let finished = DispatchGroup()

        init(target: @escaping @Sendable () -> Void) {
            let finished = finished
            finished.enter()
            thread = Thread {
                target()
                finished.leave()
            }
        }

        func start() { thread.start() }

        func join() { finished.wait() }
    }

    /// Python's `time.perf_counter()`: seconds on the monotonic clock.
    static func perfCounter() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Python's `time.sleep(seconds)`: a real sleep of the calling thread.
    static func sleep(_ seconds: Double) {
        Thread.sleep(forTimeInterval: seconds)
    }

    /// Python's `f'{x:.2f}'`.
    static func f2(_ x: Double) -> String {
        String(format: "%.2f", x)
    }
}
