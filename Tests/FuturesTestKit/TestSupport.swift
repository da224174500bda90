import Dispatch
import Foundation
import Synchronization
import XCTest

@testable import Futures

package struct TestError: Error, Equatable {
    package let code: Int
    package init(code: Int) { self.code = code }
}

/// Counts tasks running at once and remembers the peak.
package final class ConcurrencyMeter: Sendable {
    package init() {}

    private let current = Atomic<Int>(0)
    private let peakValue = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)

    package var peak: Int { peakValue.load(ordering: .sequentiallyConsistent) }
    package var completed: Int { finished.load(ordering: .sequentiallyConsistent) }

    package func measure<R>(_ body: () throws -> R) rethrows -> R {
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
package final class Counter: Sendable {
    package init() {}

    private let value = Atomic<Int>(0)
    package var count: Int { value.load(ordering: .sequentiallyConsistent) }
    package func increment() { value.add(1, ordering: .sequentiallyConsistent) }
}

/// Counts live `Tracked` objects, to show closures and results are released.
package final class LiveObjects: Sendable {
    package init() {}

    private let value = Atomic<Int>(0)
    package var count: Int { value.load(ordering: .sequentiallyConsistent) }
    package func born() { value.add(1, ordering: .sequentiallyConsistent) }
    package func died() { value.subtract(1, ordering: .sequentiallyConsistent) }
}

package final class Tracked: Sendable {
    package let live: LiveObjects
    package let value: Int
    package init(_ live: LiveObjects, _ value: Int) {
        self.live = live
        self.value = value
        live.born()
    }
    deinit { live.died() }
}

/// A one-shot barrier a task can block on until the test opens it.
package final class Gate: Sendable {
    package init() {}

    private let semaphore = DispatchSemaphore(value: 0)
    private let opened = Atomic<Bool>(false)

    /// Blocks until `open()`; gives up after `limit` so a failing test can't hang the suite.
    package func pass(limit: TimeInterval = 10) {
        if opened.load(ordering: .sequentiallyConsistent) { return }
        _ = semaphore.wait(timeout: .now() + limit)
        semaphore.signal()  // let the next waiter through too
    }

    package func open() {
        if !opened.exchange(true, ordering: .sequentiallyConsistent) { semaphore.signal() }
    }
}

package func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

package func sleep(seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}

/// Threads of this process (from /proc/self/task, Linux) that are not parked in
/// `ThreadCache` for reuse: those are bounded by the cache and exit when idle.
package func processThreadCount() -> Int {
    let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1
    return all - ThreadCache.shared.idleCount
}

/// Polls until the thread count falls back to `baseline` (threads exit asynchronously).
package func threadsSettle(to baseline: Int, within limit: TimeInterval = 3) -> Int {
    let start = DispatchTime.now()
    var now = processThreadCount()
    while now > baseline && seconds(since: start) < limit {
        sleep(seconds: 0.01)
        now = processThreadCount()
    }
    return now
}
