import Foundation
import Futures
import Processes

#if canImport(Glibc)
    import Glibc
#endif

/// `start()` to the child's first statement, as bench/child_start_row.py compares it with
/// CPython's fork:
///
/// ```python
/// def stamp(v): v.value = time.monotonic()
/// v = Value('d', 0); p = Process(target=stamp, args=(v,))
/// t = time.monotonic(); p.start(); p.join(); print((v.value - t) * 1000)
/// ```
///
/// Each child starts in a scope whose output is captured, as a notebook cell's children are.
enum ChildStartMeasurement {
    static let stamp = RemoteFunction<multiprocessing.Value<Double>, NoValue>("bench.childStart.stamp") { value in
        try value.setValue(monotonicSeconds())
        return NoValue()
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Prints one line: the milliseconds of `count` starts, the first one first.
    static func run(count: Int) throws {
        let scope = ProcessScope()
        scope.captureOutput { _, _ in }
        var figures: [String] = []
        try Ambient.run(in: scope) {
            for _ in 0..<count {
                let value = try multiprocessing.Value<Double>(0)
                let child = multiprocessing.Process(target: stamp, args: value)
                let start = monotonicSeconds()
                try child.start()
                try child.join()
                let exitcode = try child.exitcode
                guard exitcode == 0 else {
                    throw builtins.RuntimeError("the child exited \(exitcode ?? -1)")
                }
                figures.append(String(format: "%.3f", (try value.value - start) * 1000))
            }
        }
        print("child-start ms " + figures.joined(separator: " "))
    }
}
