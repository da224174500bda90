import Foundation
import Futures
import Notebook
import PythonRuntime
import XCTest

@testable import Engine

/// The admission policy's decisions, one state at a time, with the settings nbrun runs
/// (`AdmissionSettings.production`) on a 2-core machine whose baseline lateness is 0:
/// wake-ups over 5 ms are late, slices of up to 16, a window of 1024, 256 cells always run.
final class AdmissionPolicyTests: XCTestCase {
    typealias State = AdmissionPolicy.State

    private func production(jobs: Int? = nil) -> AdmissionPolicy {
        AdmissionPolicy(settings: .production, cores: 2, baseline: 0, jobs: jobs)
    }

    func testTimingSensitiveCellsGoFirstAndCPUBoundOnesOnlyRunAlone() {
        var policy = production()
        XCTAssertEqual(policy.decide(State(waitingShared: 3, waitingExclusive: 2)), .admitShared(1))
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, waitingExclusive: 2, runningShared: 1)), .wait,
            "a CPU-bound cell waits until no timing-sensitive cell runs")
        XCTAssertEqual(policy.decide(State(waitingShared: 0, waitingExclusive: 2)), .startExclusive)
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, waitingExclusive: 1, runningExclusive: 1)), .wait,
            "one CPU-bound cell at a time")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 5, waitingExclusive: 0, runningExclusive: 1)), .wait,
            "nothing is admitted beside a CPU-bound cell")
        XCTAssertEqual(policy.decide(State()), .wait, "nothing left")
    }

    func testSlicesDoubleWhileWakeUpsArePunctualAndHalveWhenLate() {
        var policy = production()
        XCTAssertEqual(policy.lateness.minimumRunning, 256)
        let punctual = { (running: Int) in State(waitingShared: 1000, runningShared: running, lateness: 0.0001) }
        XCTAssertEqual(policy.decide(punctual(0)), .admitShared(1))
        XCTAssertEqual(policy.decide(punctual(1)), .admitShared(2))
        XCTAssertEqual(policy.decide(punctual(3)), .admitShared(4))
        XCTAssertEqual(policy.decide(punctual(7)), .admitShared(8))
        XCTAssertEqual(policy.decide(punctual(15)), .admitShared(16))
        XCTAssertEqual(policy.decide(punctual(31)), .admitShared(16), "capped at the maximum slice")
        let late = { (at: Double) in State(waitingShared: 1000, runningShared: 700, lateness: 0.010, elapsed: at) }
        XCTAssertEqual(policy.decide(late(1.0)), .wait, "late wake-ups stop admission above the floor")
        XCTAssertEqual(policy.lateness.slice, 8)
        XCTAssertEqual(policy.window.size, 1024, "one late wake-up costs no window")
        XCTAssertEqual(policy.decide(late(1.02)), .wait)
        XCTAssertEqual(policy.window.size, 350, "an episode that lasts halves the cells allowed to run at once")
        XCTAssertEqual(policy.decide(late(1.05)), .wait)
        XCTAssertEqual(policy.window.size, 350, "once per late episode")
        XCTAssertEqual(policy.decide(punctual(300)), .wait, "a late wake-up holds admission for a few ticks")
        var ticks = 0
        while policy.decide(punctual(300)) == .wait { ticks += 1 }
        XCTAssertLessThan(ticks, 30, "then it resumes")
        XCTAssertEqual(policy.lateness.slice, 2, "with a smaller slice than before")
        XCTAssertEqual(policy.decide(punctual(301)), .admitShared(2))
        XCTAssertEqual(policy.lateness.slice, 3, "growing by one per punctual tick once it has been late")
    }

    func testAfterALateWakeUpTheWindowBoundsTheCellsRunningAtOnce() {
        var policy = production()
        _ = policy.decide(State(waitingShared: 1000, runningShared: 800, lateness: 0.050, elapsed: 1))
        _ = policy.decide(State(waitingShared: 1000, runningShared: 800, lateness: 0.050, elapsed: 1.03))
        XCTAssertEqual(policy.window.size, 400)
        var quiet = State(waitingShared: 1000, runningShared: 410, lateness: 0)
        // The remembered lateness fades.
        while policy.lateness.recentLateness * policy.lateness.memory > policy.lateness.limit {
            XCTAssertEqual(policy.decide(quiet), .wait)
        }
        XCTAssertEqual(policy.decide(quiet), .wait, "410 running is over the window")
        quiet.runningShared = 395
        guard case .admitShared(let count) = policy.decide(quiet) else { return XCTFail("admits below the window") }
        XCTAssertLessThanOrEqual(395 + count, policy.window.size)
    }

    func testTheWindowGrowsByOnePerWindowOfCellsFinishedPunctuallyNeverDoubling() {
        var policy = production()
        XCTAssertEqual(policy.window.size, 1024)
        for _ in 0..<3 { _ = policy.decide(State(waitingShared: 2000, runningShared: 0)) }  // grow the slice
        XCTAssertEqual(policy.decide(State(waitingShared: 2000, runningShared: 1024)), .wait, "the window is full")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 2000, runningShared: 1021, finishedShared: 3)), .admitShared(3),
            "three finished: their places are free, the window stays")
        XCTAssertEqual(policy.window.size, 1024)
        XCTAssertEqual(
            policy.decide(State(waitingShared: 2000, runningShared: 1020, finishedShared: 1024)), .admitShared(5),
            "a window's worth finished on time: one place more")
        XCTAssertEqual(policy.window.size, 1025)
        _ = policy.decide(State(waitingShared: 2000, runningShared: 0, finishedShared: 6024))
        XCTAssertEqual(policy.window.size, 1026, "five thousand finishing at once earn one place, not five thousand")
    }

    func testASliceStopsWhereTheNextCellsDemoEnds() {
        var policy = production()
        for _ in 0..<4 { _ = policy.decide(State(waitingShared: 100)) }  // grow the slice to 16
        XCTAssertEqual(
            policy.decide(State(waitingShared: 100, nextDemoWaiting: 3)), .admitShared(3),
            "the bounds judged the next cell's demo, not the one after it")
        XCTAssertEqual(CellScheduler.sameDemoAhead(["a", "a", "a", "b", "a", "a"]), [3, 2, 1, 1, 2, 1])
        XCTAssertEqual(CellScheduler.sameDemoAhead([]), [])
    }

    func testASliceGoesOnOverTheFollowingDemosWhileTheCoresTakeThem() {
        var policy = production()
        for _ in 0..<4 { _ = policy.decide(State(waitingShared: 100)) }  // grow the slice to 16
        typealias Run = AdmissionPolicy.DemoRun
        let waits = Run(cells: 2, cores: 0, cpu: 0)
        var state = State(waitingShared: 100, nextDemoWaiting: 1, nextSharedCores: 0, nextSharedCPUSeconds: 0)
        state.followingDemos = [waits, waits, Run(cells: 5, cores: nil, cpu: nil), waits]
        XCTAssertEqual(policy.decide(state), .admitShared(5), "over demos that only wait, up to one not known yet")
        state.followingDemos = [waits, Run(cells: 5, cores: 0.15, cpu: 0.08), waits]
        XCTAssertEqual(policy.decide(state), .admitShared(3), "or up to one whose cells are started one by one")
        state.followingDemos = [waits, Run(cells: 5, cores: 0.5, cpu: 0.001), waits]
        XCTAssertEqual(
            policy.decide(state), .admitShared(6),
            "a short cell that keeps half a core busy: as many as fit in the 1.5 cores they may use")
        state.reservedCores = 1.0
        XCTAssertEqual(policy.decide(state), .admitShared(4), "with a core reserved already, one of them")
        state.reservedCores = 0
        state.followingDemos = Array(repeating: waits, count: 20)
        XCTAssertEqual(policy.decide(state), .admitShared(16), "a slice at most")
        state.nextSharedCores = nil
        state.nextSharedDemoRunning = 0
        XCTAssertEqual(policy.decide(state), .admitShared(1), "a demo not known yet: its own cells only")
    }

    func testWhileOneCoreCellsRemainTimingSensitiveOnesAreSpreadOverTheirWork() {
        // A second of 2 ms ticks, with 10 s of one-core work still to run.
        func admittedInOneSecond(oneCoreSecondsLeft: Double, nextSharedSeconds: Double = 0) -> Int {
            var policy = production()
            var admitted = 0
            for tick in 0...500 {
                let state = State(
                    waitingShared: 1000 - admitted, runningOneCore: 1, elapsed: Double(tick) * 0.002,
                    oneCoreSecondsLeft: oneCoreSecondsLeft, nextSharedSeconds: nextSharedSeconds)
                if case .admitShared(let count) = policy.decide(state) { admitted += count }
            }
            return admitted
        }
        XCTAssertEqual(
            Double(admittedInOneSecond(oneCoreSecondsLeft: 10)), 95, accuracy: 10,
            "a tenth of the lane's work: about a tenth of the cells")
        XCTAssertEqual(admittedInOneSecond(oneCoreSecondsLeft: 0), 1000, "no one-core work: no pacing")
        XCTAssertEqual(
            admittedInOneSecond(oneCoreSecondsLeft: 10, nextSharedSeconds: 10), 1000,
            "cells as long as the lane's work start at once, to end with it")
        // A recorded duration is a hint: a negative one (a reply a day before its input)
        // never stretches the lane's horizon, and without one-core work nothing is paced.
        XCTAssertEqual(admittedInOneSecond(oneCoreSecondsLeft: 0, nextSharedSeconds: -86_400), 1000)
        XCTAssertEqual(
            Double(admittedInOneSecond(oneCoreSecondsLeft: 10, nextSharedSeconds: -86_400)), 95, accuracy: 10)
        XCTAssertEqual(admittedInOneSecond(oneCoreSecondsLeft: -86_400), 1000)
        XCTAssertEqual(admittedInOneSecond(oneCoreSecondsLeft: .nan, nextSharedSeconds: .nan), 1000)
        XCTAssertEqual(admittedInOneSecond(oneCoreSecondsLeft: .infinity), 1000)
    }

    func testCellsThatComputeAreAdmittedOnlyAsFarAsTheCoresServeThem() {
        var policy = production()
        let needing = { (reserved: Double, running: Int) in
            State(
                waitingShared: 1000, runningShared: running, reservedCores: reserved, nextSharedCores: 0.15,
                nextSharedCPUSeconds: 0.08)
        }
        XCTAssertEqual(policy.decide(needing(1.4, 9)), .wait, "1.4 of the 1.5 cores they may keep busy are taken")
        XCTAssertEqual(
            policy.decide(needing(0.0, 0)), .admitShared(1),
            "with room for ten, they still start one by one")
        XCTAssertEqual(policy.decide(needing(0.15, 1)), .wait, "the next when the cores have served its CPU time")
        var late = needing(1.5, 10)
        late.lateness = 0.050
        XCTAssertEqual(policy.decide(late), .wait, "the floor of cells always running does not override the cores")
        var unknown = State(waitingShared: 1000, runningShared: 2, nextSharedCores: nil, nextSharedDemoRunning: 2)
        XCTAssertEqual(policy.decide(unknown), .wait, "a demo's need not known yet: one cell per core learns it")
        unknown.nextSharedDemoRunning = 1
        XCTAssertEqual(policy.decide(unknown), .admitShared(1))
        let negligible = State(
            waitingShared: 1000, runningShared: 2, reservedCores: 1.5, nextSharedCores: 0.001,
            nextSharedCPUSeconds: 0.0005)
        guard case .admitShared = policy.decide(negligible) else {
            return XCTFail("cells that only wait are not held back")
        }
    }

    func testTheBatchProgressesUnderLoadNbrunDidNotCause() {
        var policy = production()
        let late = { (running: Int) in State(waitingShared: 1000, runningShared: running, lateness: 0.050) }
        XCTAssertEqual(policy.decide(late(0)), .admitShared(1))
        XCTAssertEqual(policy.decide(late(1)), .admitShared(1))
        XCTAssertEqual(policy.decide(late(255)), .admitShared(1), "up to the floor of 128 cells per core")
        XCTAssertEqual(policy.decide(late(256)), .wait)
    }

    func testOneCoreCellsRunBesideTimingSensitiveOnesOnlyWhilePunctual() {
        var policy = production()
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, runningShared: 4, waitingOneCore: 2, lateness: 0.001)),
            .startOneCore, "beside running timing-sensitive cells while wake-ups are punctual")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, runningShared: 4, waitingOneCore: 1, runningOneCore: 1)),
            .wait, "one at a time")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 5, runningShared: 4, runningOneCore: 1)), .admitShared(1),
            "timing-sensitive cells are still admitted beside a one-core cell")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 5, runningShared: 4, waitingOneCore: 1, lateness: 0.001)),
            .startOneCore, "the next one-core cell does not wait behind admissions")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, runningShared: 4, waitingOneCore: 1, lateness: 0.050)),
            .wait, "not while wake-ups are late")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, waitingOneCore: 1, lateness: 0.050)), .startOneCore,
            "alone, lateness does not matter")
    }

    func testOneCoreCellsRunOnePerCoreOnceNoTimingSensitiveCellRunsOrWaits() {
        var policy = production()  // 2 cores
        XCTAssertEqual(
            policy.decide(State(waitingOneCore: 5, runningOneCore: 1)), .startOneCore,
            "nothing needs the other core: a second one-core cell takes it")
        XCTAssertEqual(policy.decide(State(waitingOneCore: 4, runningOneCore: 2)), .wait, "one per core")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 0, runningShared: 1, waitingOneCore: 4, runningOneCore: 1)), .wait,
            "while a timing-sensitive cell runs, the other core is its headroom")
        XCTAssertEqual(
            policy.decide(State(waitingShared: 1, waitingOneCore: 4, runningOneCore: 1)), .admitShared(1),
            "and while one waits")
    }

    func testOneLateWakeUpOrLatenessAtTheFloorCostsNoWindow() {
        var policy = production()
        let late = { (running: Int, at: Double) in
            State(waitingShared: 1000, runningShared: running, lateness: 0.013, elapsed: at)
        }
        _ = policy.decide(late(77, 0.08))
        _ = policy.decide(late(77, 0.11))
        XCTAssertEqual(policy.window.size, 1024, "a lasting episode while the floor runs is not the window's doing")
        var fresh = production()
        _ = fresh.decide(late(500, 0.08))
        _ = fresh.decide(State(waitingShared: 1000, runningShared: 500, lateness: 0, elapsed: 0.085))
        XCTAssertEqual(fresh.window.size, 1024, "a blip that fades within 20 ms costs no window")
    }

    func testExclusiveCellsRunBesideNothingNotEvenAOneCoreCell() {
        var policy = production()
        XCTAssertEqual(policy.decide(State(waitingExclusive: 1, runningOneCore: 1)), .wait)
        XCTAssertEqual(
            policy.decide(State(waitingExclusive: 1, waitingOneCore: 1)), .startOneCore,
            "one-core cells first, exclusive ones last")
        XCTAssertEqual(policy.decide(State(waitingExclusive: 1)), .startExclusive)
        XCTAssertEqual(
            policy.decide(State(waitingShared: 3, runningExclusive: 1, waitingOneCore: 1)), .wait,
            "nothing starts beside an exclusive cell")
    }

    func testJobsCapsCellsRunningAtOnce() {
        var policy = production(jobs: 3)
        for _ in 0..<4 { _ = policy.decide(State(waitingShared: 100, runningShared: 0)) }  // grow the slice
        XCTAssertEqual(policy.decide(State(waitingShared: 100, runningShared: 1)), .admitShared(2))
        XCTAssertEqual(policy.decide(State(waitingShared: 100, runningShared: 3)), .wait)
        XCTAssertEqual(policy.decide(State(waitingShared: 0, waitingExclusive: 1)), .startExclusive)
    }
}
