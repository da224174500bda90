import Dispatch
import Foundation
import FuturesTestKit
import XCTest

@testable import Futures

/// Worker threads outlive their executor in `ThreadCache` and are handed to the next one;
/// an executor's `maxWorkers` and lazy start are unchanged.
final class ThreadCacheTests: XCTestCase {
    /// The calling thread's identity (`pthread_self`), comparable across tasks.
    private static func threadID() -> UInt {
        UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(bitPattern: UInt(pthread_self()))))
    }

    /// Runs `count` tasks on `pool` that are all running at once, and returns their threads.
    private func threadsOfTasksRunningTogether(_ pool: concurrent.futures.ThreadPoolExecutor, count: Int) throws -> Set<
        UInt
    > {
        let arrived = DispatchGroup()
        let release = DispatchSemaphore(value: 0)
        for _ in 0..<count { arrived.enter() }
        let futures = (0..<count).map { _ in
            pool.submit { () -> UInt in
                arrived.leave()
                release.wait()
                return Self.threadID()
            }
        }
        XCTAssertEqual(arrived.wait(timeout: .now() + 10), .success)
        for _ in 0..<count { release.signal() }
        return Set(try futures.map { try $0.result() })
    }

    private func waitUntil(_ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !condition(), Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    }

    func testAnExecutorTakesTheThreadsAnEarlierOneLeft() throws {
        let cache = ThreadCache.shared
        // Threads that earlier tests parked may be idle too (and may be the ones `first`
        // takes): wait until all four of `first`'s are parked on top of them.
        let (idleBefore, reusedBefore) = (cache.idleCount, cache.reusedCount)
        let first = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        let firstThreads = try threadsOfTasksRunningTogether(first, count: 4)
        first.shutdown(wait: true)
        XCTAssertEqual(firstThreads.count, 4)
        let taken = cache.reusedCount - reusedBefore
        waitUntil { cache.idleCount >= idleBefore - taken + 4 }

        let created = cache.createdCount, reused = cache.reusedCount
        let second = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
        XCTAssertEqual(second.pool.threadCount, 0, "still started lazily")
        let secondThreads = try threadsOfTasksRunningTogether(second, count: 4)
        second.shutdown(wait: true)
        XCTAssertEqual(cache.createdCount, created, "no new thread")
        XCTAssertEqual(cache.reusedCount, reused + 4)
        XCTAssertEqual(secondThreads, firstThreads, "the most recently parked threads go first")
    }

    func testMaxWorkersStillBoundsConcurrencyWithManyThreadsParked() throws {
        let warm = concurrent.futures.ThreadPoolExecutor(maxWorkers: 8)
        _ = try threadsOfTasksRunningTogether(warm, count: 8)
        warm.shutdown(wait: true)
        waitUntil { ThreadCache.shared.idleCount >= 8 }

        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 2)
        let meter = ConcurrencyMeter()
        let futures = (0..<12).map { _ in pool.submit { meter.measure { Thread.sleep(forTimeInterval: 0.01) } } }
        for future in futures { try future.result() }
        XCTAssertEqual(meter.peak, 2)
        XCTAssertEqual(meter.completed, 12)
        XCTAssertLessThanOrEqual(pool.pool.threadCount, 2)
        pool.shutdown(wait: true)
        XCTAssertEqual(pool.pool.threadCount, 0)
    }

    func testAReusedThreadCarriesItsNewExecutorsName() throws {
        let first = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "first")
        XCTAssertEqual(try first.submit { Thread.current.name }.result(), "first_0")
        first.shutdown(wait: true)
        waitUntil { ThreadCache.shared.idleCount >= 1 }
        let second = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1, threadNamePrefix: "second")
        XCTAssertEqual(try second.submit { Thread.current.name }.result(), "second_0")
        second.shutdown(wait: true)
    }

    func testParkedThreadsAreBoundedAndExitWhenIdle() {
        let cache = ThreadCache(maxIdle: 2, idleTimeout: 0.1)
        let arrived = DispatchGroup(), finished = DispatchGroup()
        let release = DispatchSemaphore(value: 0)
        for index in 0..<4 {
            arrived.enter()
            finished.enter()
            cache.run(name: "job\(index)") {
                arrived.leave()
                release.wait()
                finished.leave()
            }
        }
        XCTAssertEqual(arrived.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(cache.createdCount, 4, "four jobs at once need four threads")
        for _ in 0..<4 { release.signal() }
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        waitUntil { cache.idleCount == 2 }
        XCTAssertEqual(cache.idleCount, 2, "two stay parked, the others exit")
        waitUntil { cache.idleCount == 0 }
        XCTAssertEqual(cache.idleCount, 0, "parked threads exit after the idle timeout")
    }

    func testAFinishedJobsCapturesAreReleasedWhileItsThreadIsParked() {
        let cache = ThreadCache(maxIdle: 4, idleTimeout: 30)
        let live = LiveObjects()
        let done = DispatchSemaphore(value: 0)
        do {
            let tracked = Tracked(live, 1)
            cache.run(name: "holder") {
                _ = tracked.value
                done.signal()
            }
        }
        done.wait()
        waitUntil { cache.idleCount == 1 && live.count == 0 }
        XCTAssertEqual(cache.idleCount, 1)
        XCTAssertEqual(live.count, 0)
    }

    func testNoJobIsLostWhenHandOffsRaceTheIdleTimeout() {
        // A 1 ms timeout makes threads expire while `run` is handing them work.
        let cache = ThreadCache(maxIdle: 4, idleTimeout: 0.001)
        let ran = Counter()
        let all = DispatchGroup()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<250 {
                all.enter()
                cache.run(name: "racer") {
                    ran.increment()
                    all.leave()
                }
                if Bool.random() { Thread.sleep(forTimeInterval: 0.001) }
            }
        }
        XCTAssertEqual(all.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(ran.count, 1000)
        XCTAssertLessThan(cache.createdCount, 1000, "some jobs found a parked thread")
    }
}
