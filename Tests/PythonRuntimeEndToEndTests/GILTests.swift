import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import Synchronization
import XCTest

/// The per-cell GIL behind the ports: one thread at a time per interpreter, handed over at
/// the switch interval, released by blocking calls, and one GIL per interpreter. Nothing
/// here bounds wall time from above; waits that would hang without the behaviour give up
/// after `patience` and fail.
final class GILTests: XCTestCase {
    static var patience: DispatchTime { .now() + 30 }

    func testAtMostOneThreadHoldsTheGIL() {
        let interpreter = PyInterpreter()
        let inside = Shared(0)
        let mostInside = Shared(0)
        let group = DispatchGroup()
        for index in 0..<4 {
            spawn(in: interpreter, group) {
                for round in 0..<300 {
                    let now = inside.add(1)
                    if now > 1 { mostInside.set(now) }
                    let end = time.threadTime() + 0.0002  // compute between two eval-breaker checks
                    while time.threadTime() < end {}
                    _ = inside.add(-1)
                    if round % 50 == index { time.sleep(0.001) } else { evalBreaker() }
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(mostInside.value, 0, "threads inside at once")
    }

    /// Threads that take turns cannot use more CPU time, together, than the time that
    /// passes (bar the waiters' brief wake-ups). Without the GIL, on two cores, the four
    /// burns would finish in about half their CPU time.
    func testBurningThreadsTakeTurns() throws {
        let interpreter = PyInterpreter()
        let cpuTimes = Locked<[Double]>([])
        let group = DispatchGroup()
        let start = time.perfCounter()
        for _ in 0..<4 {
            spawn(in: interpreter, group) {
                let began = time.threadTime()
                let end = began + 0.15
                while time.threadTime() < end { evalBreaker() }
                let used = time.threadTime() - began
                cpuTimes.withLock { $0.append(used) }
            }
        }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        let wall = time.perfCounter() - start
        let cpu = cpuTimes.withLock { $0.reduce(0, +) }
        XCTAssertGreaterThanOrEqual(cpu, 0.6)
        XCTAssertGreaterThanOrEqual(wall, 0.97 * cpu, "4 threads used \(cpu) s of CPU in \(wall) s")
    }

    /// A thread sleeps in short naps until a second thread of the same interpreter has run:
    /// possible only if sleeping releases the GIL.
    func testSleepReleasesTheGIL() {
        let interpreter = PyInterpreter()
        let sleeperAsleep = DispatchSemaphore(value: 0)
        let otherRan = Shared(0)
        let ranWhileSleeping = Shared(0)
        let sleeperDone = Shared(0)
        let group = DispatchGroup()
        spawn(in: interpreter, group) {
            sleeperAsleep.signal()
            for _ in 0..<400 where otherRan.value == 0 { time.sleep(0.025) }
            sleeperDone.set(1)
        }
        group.enter()
        Thread {
            sleeperAsleep.wait()
            interpreter.run {
                ranWhileSleeping.set(1 - sleeperDone.value)
                otherRan.set(1)
            }
            group.leave()
        }.start()
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(ranWhileSleeping.value, 1)
    }

    /// Two threads that never block, only call the eval breaker: each sees the other make
    /// progress, again and again, so the switch interval hands the GIL over both ways.
    func testSwitchIntervalHandsOverBothWays() {
        let interpreter = PyInterpreter()
        let counts = [Shared(0), Shared(0)]
        let handovers = Locked<[Int]>([0, 0])
        let group = DispatchGroup()
        for me in 0..<2 {
            spawn(in: interpreter, group) {
                let other = 1 - me
                var lastSeen = counts[other].value
                var seenChanges = 0
                let giveUp = time.threadTime() + 5  // CPU seconds: never spin forever
                while seenChanges < 10 && time.threadTime() < giveUp {
                    _ = counts[me].add(1)
                    let now = counts[other].value
                    if now != lastSeen { seenChanges += 1; lastSeen = now }
                    evalBreaker()
                }
                handovers.withLock { $0[me] = seenChanges }
            }
        }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(handovers.withLock { $0 }, [10, 10])
    }
}
