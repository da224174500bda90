import Dispatch
import Foundation
import Synchronization
import XCTest

@testable import Futures

struct TestError: Error, Equatable {
    let code: Int
}

/// Counts tasks running at once and remembers the peak.
final class ConcurrencyMeter: Sendable {
    private let current = Atomic<Int>(0)
    private let peakValue = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)

    var peak: Int { peakValue.load(ordering: .sequentiallyConsistent) }
    var completed: Int { finished.load(ordering: .sequentiallyConsistent) }

    func measure<R>(_ body: () throws -> R) rethrows -> R {
        let now = current.add(1, ordering: .sequentiallyConsistent).newValue
        peakValue.max(now, ordering: .sequentiallyConsistent)
        defer {
            current.subtract(1, ordering: .sequentiallyConsistent)
            finished.add(1, ordering: .sequentiallyConsistent)
        }
        return try body()
    }
}

/// A thread-safe counter for callbacks and "did it run" checks.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    var count: Int { value.load(ordering: .sequentiallyConsistent) }
    func increment() { value.add(1, ordering: .sequentiallyConsistent) }
}

/// Counts live `Tracked` objects, to show closures and results are released.
final class LiveObjects: Sendable {
    private let value = Atomic<Int>(0)
    var count: Int { value.load(ordering: .sequentiallyConsistent) }
    func born() { value.add(1, ordering: .sequentiallyConsistent) }
    func died() { value.subtract(1, ordering: .sequentiallyConsistent) }
}

final class Tracked: Sendable {
    let live: LiveObjects
    let value: Int
    init(_ live: LiveObjects, _ value: Int) {
        self.live = live
        self.value = value
        live.born()
    }
    deinit { live.died() }
}

/// A one-shot barrier a task can block on until the test opens it.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let opened = Atomic<Bool>(false)

    /// Blocks until `open()`; gives up after `limit` so a failing test can't hang the suite.
    func pass(limit: TimeInterval = 10) {
        if opened.load(ordering: .sequentiallyConsistent) { return }
        _ = semaphore.wait(timeout: .now() + limit)
        semaphore.signal()  // let the next waiter through too
    }

    func open() {
        if !opened.exchange(true, ordering: .sequentiallyConsistent) { semaphore.signal() }
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func sleep(seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}

/// Threads of this process (from /proc/self/task, Linux) that are not parked in
/// `ThreadCache` for reuse: those are bounded by the cache and exit when idle.
func processThreadCount() -> Int {
    let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1
    return all - ThreadCache.shared.idleCount
}

/// Polls until the thread count falls back to `baseline` (threads exit asynchronously).
func threadsSettle(to baseline: Int, within limit: TimeInterval = 3) -> Int {
    let start = DispatchTime.now()
    var now = processThreadCount()
    while now > baseline && seconds(since: start) < limit {
        sleep(seconds: 0.01)
        now = processThreadCount()
    }
    return now
}
