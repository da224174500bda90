import Glibc
import SystemCalls
import XCTest

/// The clocks against real time: a sleep advances the monotonic clock and not the thread's CPU clock.
final class ClockTests: XCTestCase {
    func testMonotonicClockAdvancesWithASleep() {
        let before = Clock.monotonic, beforeNanoseconds = Clock.monotonicNanoseconds
        usleep(20_000)
        XCTAssertGreaterThanOrEqual(Clock.monotonic - before, 0.02)
        XCTAssertGreaterThanOrEqual(Clock.monotonicNanoseconds - beforeNanoseconds, 20_000_000)
    }

    /// The thread's CPU clock counts work, not sleep.
    func testThreadCPUClockIgnoresSleep() {
        let before = Clock.threadCPU
        usleep(50_000)
        XCTAssertLessThan(Clock.threadCPU - before, 0.04)
    }

    func testRealtimeIsTheWallClock() {
        let now = Clock.realtime
        XCTAssertLessThanOrEqual(abs(now.seconds - Int(time(nil))), 1)
        XCTAssert((0..<1_000_000).contains(now.microseconds))
    }
}
