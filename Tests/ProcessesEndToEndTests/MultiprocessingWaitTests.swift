import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

/// Every blocking call of the multiprocessing look-alikes announces its wait to the thread's
/// `Ambient` context (which gives up a cell's GIL), and a call that need not wait does not.
final class MultiprocessingWaitTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    private func announcedWaits(_ body: () throws -> Void) rethrows -> [String] {
        let context = RecordingContext("multiprocessing")
        try Ambient.run(in: context) { try body() }
        return context.events.filter { $0 != "enter" && $0 != "exit" }
    }

    func testEmptyQueueGetAnnouncesItsWaitAndAFullOneDoesNot() throws {
        let queue = try multiprocessing.Queue<String>()
        XCTAssertEqual(
            try announcedWaits { assertPythonError(try queue.get(timeout: 0.02), "Empty", "") },
            ["willBlock", "didUnblock"])
        try queue.put("ready")
        XCTAssertEqual(try announcedWaits { XCTAssertEqual(try queue.get(), "ready") }, [])
        assertPythonError(try queue.getNowait(), "Empty", "")
    }

    func testContendedLockAndPipeReceiveAnnounceTheirWaits() throws {
        let lock = try multiprocessing.Lock()
        try lock.acquire()
        XCTAssertEqual(
            try announcedWaits { XCTAssertFalse(try lock.acquire(timeout: 0.02)) }, ["willBlock", "didUnblock"])
        XCTAssertFalse(try lock.acquire(block: false))
        try lock.release()

        let (reader, writer): (multiprocessing.Connection<Int>, multiprocessing.Connection<Int>) =
            try multiprocessing.Pipe(duplex: false)
        Thread {
            Thread.sleep(forTimeInterval: 0.05)
            try? writer.send(42)
        }.start()
        XCTAssertEqual(try announcedWaits { XCTAssertEqual(try reader.recv(), 42) }, ["willBlock", "didUnblock"])
        assertPythonError(try reader.send(1), "OSError", "connection is read-only")
        assertPythonError(try writer.recv(), "OSError", "connection is write-only")
        writer.close()
        assertPythonError(try writer.send(1), "OSError", "handle is closed")
    }

    func testPoolResultsAnnounceTheirWaits() throws {
        let pool = try multiprocessing.Pool(processes: 1)
        let slow = try pool.applyAsync(FixtureFunctions.whoami, 0.1)
        XCTAssertTrue(try announcedWaits { _ = try slow.get() }.contains("willBlock"))
        let timedOut = try pool.applyAsync(FixtureFunctions.whoami, 5)
        assertPythonError(try timedOut.get(timeout: 0.02), "TimeoutError", "")
        assertPythonError(try timedOut.successful(), "ValueError")
        pool.terminate()
        try pool.join()
    }
}
