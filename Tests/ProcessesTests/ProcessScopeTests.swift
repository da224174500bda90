import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import XCTest

/// `ProcessScope`: the children started under one ambient scope end together, and only they.
final class ProcessScopeTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testTerminateKillsOnlyTheScopesWorkersAndClosesIt() throws {
        let scope = ProcessScope()
        let scoped = Ambient.run(in: scope) { concurrent.futures.ProcessPoolExecutor(maxWorkers: 2) }
        let unscoped = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        defer { unscoped.shutdown() }
        XCTAssertEqual(try scoped.map(FixtureFunctions.square, [1, 2, 3]), [1, 4, 9])
        XCTAssertEqual(try unscoped.submit(FixtureFunctions.square, 5).result(), 25)
        let scopedPIDs = scoped.workerPIDs, otherPIDs = unscoped.workerPIDs
        XCTAssertEqual(Set(scope.livePIDs), Set(scopedPIDs))
        XCTAssertNil(ProcessScope.current, "no scope outside Ambient.run")

        scope.terminate()

        XCTAssertTrue(scope.isTerminated)
        XCTAssertEqual(survivors(of: scopedPIDs), [])
        XCTAssertFalse(otherPIDs.contains(where: processIsDead))
        XCTAssertEqual(try unscoped.submit(FixtureFunctions.square, 6).result(), 36)
        assertPythonError(try scoped.submit(FixtureFunctions.square, 2).result(), "BrokenProcessPool")
        // Work that goes on in a terminated scope starts nothing new.
        let late = Ambient.run(in: scope) { multiprocessing.Process(target: FixtureFunctions.bump) }
        XCTAssertThrowsError(try late.start())
        XCTAssertTrue(eventually { scope.livePIDs.isEmpty })
        scoped.shutdown()
    }

    /// Tasks of a thread pool run under their submitter's context, so a process pool created
    /// inside one belongs to the submitter's scope.
    func testScopeFollowsTasksToPoolThreads() throws {
        let scope = ProcessScope()
        let pids = try Ambient.run(in: scope) {
            try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 1) { threads in
                try threads.submit {
                    try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
                        _ = try pool.submit(FixtureFunctions.square, 3).result()
                        return scope.livePIDs
                    }
                }.result()
            }
        }
        XCTAssertEqual(pids.count, 1)
    }
}
