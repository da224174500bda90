import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

/// `multiprocessing.JoinableQueue`, `SimpleQueue` and `Process.close()`, against the real
/// python3 running the same scenario.
final class JoinableQueueTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    }

    /// `join()` waits for the last `task_done()`, not the last `get()`.
    func testJoinWaitsForTheLastTaskDone() throws {
        let tasks = try multiprocessing.JoinableQueue<Int>()
        let results = try multiprocessing.SimpleQueue<Int>()
        let consumer = multiprocessing.Process(
            target: MultiprocessingFunctions.consume, args: .init(tasks: tasks, results: results))
        try consumer.start()
        for n in 0..<3 { try tasks.put(n) }
        try tasks.join()
        // Every item was done before join returned: the results are all there.
        XCTAssertEqual(Set(try (0..<3).map { _ in try results.get() }), [0, 1, 4])
        try tasks.put(-1)
        try tasks.join()
        try consumer.join()
        XCTAssertEqual(try consumer.exitcode, 0)
    }
}
