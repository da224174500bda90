import Foundation
import Futures
import Glibc
import PythonRuntime
import TestKit
import XCTest

/// The event loop of `Support/AsyncIO`: what the asyncio lesson depends on, as behaviour
/// (order, threads, cancellation), never as speed.
final class AsyncIOTests: XCTestCase {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: One thread

    func testEveryCoroutineRunsOnTheCallingThreadOneAtATime() throws {
        let caller = pthread_self()
        let offLoop = Locked(0)
        let (peak, results) = try asyncio.run {
            let running = LoopBound(0)
            let peak = LoopBound(0)
            let results = try await asyncio.gather(0..<50) { i in
                if pthread_equal(pthread_self(), caller) == 0 { offLoop.withLock { $0 += 1 } }
                running.value += 1
                peak.value = max(peak.value, running.value)
                running.value -= 1  // nothing awaited in between: no one else can run
                try await asyncio.sleep(0.01)
                return i * i
            }
            return (peak.value, results)
        }
        XCTAssertEqual(offLoop.withLock { $0 }, 0)
        XCTAssertEqual(peak, 1)
        XCTAssertEqual(results, (0..<50).map { $0 * $0 }, "gather keeps argument order")
    }

    func testGatherKeepsArgumentOrderWhenTheyFinishInReverse() throws {
        let finished = Locked<[Int]>([])
        let results = try asyncio.run {
            try await asyncio.gather([3, 2, 1]) { n in
                try await asyncio.sleep(0.05 * Double(n))
                finished.withLock { $0.append(n) }
                return n
            }
        }
        XCTAssertEqual(results, [3, 2, 1])
        XCTAssertEqual(finished.withLock { $0 }, [1, 2, 3])
    }

    func testAsCompletedYieldsInFinishingOrder() throws {
        let order = try asyncio.run {
            var order: [Int] = []
            let coroutines: [asyncio.Coroutine<Int>] = [4, 1, 3, 2].map { n in
                {
                    try await asyncio.sleep(0.05 * Double(n)); return n
                }
            }
            for await outcome in asyncio.asCompleted(coroutines) { order.append(try outcome.get()) }
            return order
        }
        XCTAssertEqual(order, [1, 2, 3, 4])
    }

    func testTwoLoopsSideBySideEachKeepTheirOwnThread() {
        let wrongThread = Locked(0)
        let done = DispatchGroup()
        for _ in 0..<4 {
            done.enter()
            Thread {
                let me = pthread_self()
                _ = try? asyncio.run {
                    try await asyncio.gather(0..<20) { _ in
                        try await asyncio.sleep(0.02)
                        if pthread_equal(pthread_self(), me) == 0 { wrongThread.withLock { $0 += 1 } }
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
        XCTAssertEqual(wrongThread.withLock { $0 }, 0)
    }

    // MARK: Ten thousand waits

    func testTenThousandWaitsUseNoThreadEach() throws {
        let before = osThreadCount()
        let during = Locked(0)
        let completed = Locked(0)
        try asyncio.run {
            try await asyncio.gather(0..<10_001) { i in
                if i == 10_000 {
                    try await asyncio.sleep(0.1)  // by now all 10,000 are waiting
                    during.withLock { $0 = osThreadCount() }
                } else {
                    try await asyncio.sleep(0.3)
                    completed.withLock { $0 += 1 }
                }
            }
        }
        XCTAssertEqual(completed.withLock { $0 }, 10_000)
        XCTAssertGreaterThan(before, 0)
        XCTAssertLessThanOrEqual(during.withLock { $0 }, before + 2, "threads before: \(before)")
    }

    // MARK: Tasks and cancellation

    func testWaitForCancelsTheSlowCoroutineWhichNeverRunsOn() throws {
        let reachedAfterSleep = Locked(false)
        let sawCancellation = Locked(false)
        let timedOut = try asyncio.run { () -> Bool in
            do {
                _ = try await asyncio.waitFor(0.1) { () -> String in
                    do {
                        try await asyncio.sleep(1.5)
                    } catch is asyncio.CancelledError {
                        sawCancellation.withLock { $0 = true }
                        throw asyncio.CancelledError()
                    }
                    reachedAfterSleep.withLock { $0 = true }
                    return "finally"
                }
                return false
            } catch is builtins.TimeoutError {
                // Stay on the loop past the slow coroutine's deadline: it must not wake.
                try await asyncio.sleep(1.6)
                return true
            }
        }
        XCTAssertTrue(timedOut)
        XCTAssertTrue(sawCancellation.withLock { $0 }, "the slow coroutine's sleep was cancelled")
        XCTAssertFalse(reachedAfterSleep.withLock { $0 }, "code after the cancelled sleep ran")
    }

    func testLeftoverTasksAreCancelledWhenTheMainCoroutineEnds() throws {
        let ranOn = Locked(false)
        let cancelled = Locked(false)
        try asyncio.run {
            asyncio.createTask {
                do { try await asyncio.sleep(30) } catch { cancelled.withLock { $0 = true }; throw error }
                ranOn.withLock { $0 = true }
            }
            try await asyncio.sleep(0.01)
        }
        XCTAssertTrue(cancelled.withLock { $0 })
        XCTAssertFalse(ranOn.withLock { $0 })
    }

    // MARK: Blocking calls

    /// `time.sleep` in a coroutine holds the loop: the three calls run one after another
    /// on the loop thread. With `toThread` they run at once, on other threads.
    func testBlockingCallsStopTheLoopAndToThreadFreesIt() throws {
        let loopThread = pthread_self()
        typealias Span = (start: Double, end: Double, onLoop: Bool)
        @Sendable func blockingSpan() -> Span {
            let start = Self.now()
            Thread.sleep(forTimeInterval: 0.2)
            return (start, Self.now(), pthread_equal(pthread_self(), loopThread) != 0)
        }
        let (blocked, offloaded) = try asyncio.run {
            let blocked = try await asyncio.gather(0..<3) { _ in blockingSpan() }
            let offloaded = try await asyncio.gather(0..<3) { _ in try await asyncio.toThread { blockingSpan() } }
            return (blocked, offloaded)
        }
        XCTAssertTrue(blocked.allSatisfy(\.onLoop))
        let inOrder = blocked.sorted { $0.start < $1.start }
        for (earlier, later) in zip(inOrder, inOrder.dropFirst()) {
            XCTAssertLessThanOrEqual(earlier.end, later.start, "blocking calls overlapped")
        }
        XCTAssertFalse(offloaded.contains(where: \.onLoop))
        let lastStart = offloaded.map(\.start).max() ?? 0, firstEnd = offloaded.map(\.end).min() ?? 0
        XCTAssertLessThan(lastStart, firstEnd, "to_thread calls did not run at once")
    }

    // MARK: Semaphore

    func testSemaphoreCapsConcurrencyAtItsValue() throws {
        for limit in [1, 3] {
            let peak = try asyncio.run {
                let semaphore = asyncio.Semaphore(limit)
                let active = LoopBound(0), peak = LoopBound(0)
                try await asyncio.gather(0..<8) { _ in
                    try await semaphore.withPermit {
                        active.value += 1
                        peak.value = max(peak.value, active.value)
                        try await asyncio.sleep(0.02)
                        active.value -= 1
                    }
                }
                return peak.value
            }
            XCTAssertEqual(peak, limit)
        }
    }

    func testACancelledWaiterLeavesThePermitsIntact() throws {
        let acquiredAfter = try asyncio.run {
            let semaphore = asyncio.Semaphore(1)
            try await semaphore.acquire()
            let waiter = asyncio.createTask { try await semaphore.acquire() }
            try await asyncio.sleep(0.01)  // the waiter is queued now
            waiter.cancel()
            let outcome: Result<Void, any Error> = await Result { try await waiter.value }
            semaphore.release()
            try await asyncio.waitFor(1) { try await semaphore.acquire() }
            return outcome
        }
        XCTAssertThrowsError(try acquiredAfter.get()) { XCTAssertTrue($0 is asyncio.CancelledError) }
    }
}

private extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
