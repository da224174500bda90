import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ProcessValueTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testFourProcessesIncrementASharedValueExactly() throws {
        let balance = try multiprocessing.Value<Int32>(0)
        let workers = (0..<4).map { _ in
            multiprocessing.Process(target: FixtureFunctions.deposit, args: .init(balance: balance, times: 10_000))
        }
        for process in workers { try process.start() }
        let pids = try workers.compactMap { try $0.pid }
        XCTAssertEqual(Set(pids).count, 4)
        XCTAssertFalse(pids.contains(getpid()))
        for process in workers { try process.join() }
        XCTAssertEqual(try workers.map { try $0.exitcode }, [0, 0, 0, 0])
        XCTAssertEqual(try balance.value, 40_000)
        XCTAssertFalse(try workers.contains { try $0.isAlive })
    }

    func testAFailingTargetExitsWithOne() throws {
        let child = multiprocessing.Process(target: FixtureFunctions.failingTarget)
        try child.start()
        try child.join()
        XCTAssertEqual(try child.exitcode, 1)
        XCTAssertThrowsError(try child.start(), "a process starts once")
    }

    /// A process dropped without `join()` is reaped once it exits, not left a zombie.
    func testAProcessNeverJoinedIsReaped() throws {
        var pid: Int32?
        do {
            let child = multiprocessing.Process(target: FixtureFunctions.whoami, args: 0.05)
            try child.start()
            pid = try child.pid
        }
        let started = try XCTUnwrap(pid)
        XCTAssertTrue(
            eventually { !FileManager.default.fileExists(atPath: "/proc/\(started)") },
            "the child is still there: \((try? String(contentsOfFile: "/proc/\(started)/stat", encoding: .utf8)) ?? "")"
        )
    }

    func testValueIsLockedAcrossThreadsToo() throws {
        let balance = try multiprocessing.Value<Int64>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<1_000 { _ = try? balance.withLock { $0 += 1 } }  // a failure shows in the total
        }
        XCTAssertEqual(try balance.value, 4_000)
        try balance.getLock().withLock { try balance.setValue(7) }  // recursive: setValue takes the lock again
        XCTAssertEqual(try balance.value, 7)
    }
}
