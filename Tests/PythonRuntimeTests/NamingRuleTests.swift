import Foundation
import Glibc
import PythonRuntime
import XCTest

/// The naming rule of the port API compiled in the setting a course's ports have: a file that
/// imports Foundation and Glibc beside PythonRuntime. Python's names sit under their modules
/// (`time.sleep`, `threading.Lock`, `queue.Queue`, ...), so C's `sleep`, `time` and `wait` and
/// Foundation's `Thread`, `Timer`, `Array`, `Process` keep their meaning; none of these calls
/// is ambiguous. Nothing here blocks: every wait is given zero seconds.
final class NamingRuleTests: XCTestCase {
    func testPythonNamesAndCNamesCoexistInOneFile() throws {
        let wait = false
        time.sleep(0)  // Python's: the GIL released meanwhile
        XCTAssertEqual(sleep(wait ? 1 : 0), 0)  // C's, as the course template writes it
        XCTAssertGreaterThan(time.time(), 1_000_000_000)
        XCTAssertGreaterThan(Glibc.time(nil), 1_000_000_000)
        XCTAssertGreaterThanOrEqual(time.monotonic(), 0)
        XCTAssertGreaterThanOrEqual(time.perfCounter(), 0)
        XCTAssertEqual(format(2.0 / 3, ".2f"), "0.67")

        let lock = threading.Lock()
        XCTAssertTrue(lock.acquire(blocking: false))
        try lock.release()
        let foundationLock = NSLock()
        foundationLock.lock()
        foundationLock.unlock()
        let foundationThread: Thread = .current
        XCTAssertNotNil(foundationThread)
        XCTAssertFalse(threading.currentThread().name.isEmpty)
        XCTAssertEqual(threading.enumerate().count, threading.activeCount())

        let items = queue.Queue<Int>()
        try items.put(1)
        XCTAssertEqual(try items.get(block: false), 1)
        XCTAssertThrowsError(try items.get(block: false)) { XCTAssertTrue($0 is queue.Empty) }
        let swiftArray: Array = [1, 2]
        XCTAssertEqual(swiftArray.count, 2)

        let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
        defer { pool.shutdown() }
        let future = pool.submit { 6 * 7 }
        let (done, _) = concurrent.futures.wait([future])
        XCTAssertEqual(try done.first?.result(), 42)
        XCTAssertEqual(multiprocessing.cpuCount(), Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    func testPythonExceptionsAreCaughtByTheirTypes() {
        let barrier = threading.Barrier(2)
        barrier.abort()
        XCTAssertThrowsError(try barrier.wait()) { error in
            XCTAssertTrue(error is threading.BrokenBarrierError)
            XCTAssertEqual(pythonExceptionName(of: error), "BrokenBarrierError")
        }
        let full = queue.Queue<Int>(maxsize: 1)
        XCTAssertNoThrow(try full.put(1))
        XCTAssertThrowsError(try full.put(2, block: false)) { XCTAssertTrue($0 is queue.Full) }
    }
}
