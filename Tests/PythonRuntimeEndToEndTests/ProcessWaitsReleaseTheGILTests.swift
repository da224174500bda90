import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import PythonRuntime
import TestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Every blocking wait of the process layer gives up the cell's GIL, as CPython's do: another
/// thread of the same interpreter runs while the cell's thread waits.
///
/// How it is told: the cell's thread holds the GIL throughout except inside the wait (it calls
/// no `evalBreaker()` and no other Python wait), and marks "in the wait" only while holding
/// it. A second thread of the interpreter enters again and again and notes whether the mark
/// was set when it got in: it can only see the mark if the wait let go of the GIL. A wait that
/// kept the GIL never lets it in, however often it is tried; one that releases it is tried up
/// to `attempts` times, in case the cell's thread took the GIL back first every time (a busy
/// machine).
final class ProcessWaitsReleaseTheGILTests: XCTestCase {
    private static let attempts = 20

    override func setUpWithError() throws {
        guard let fixture = siblingExecutable(named: "FuturesWorkerFixture") else {
            XCTFail("FuturesWorkerFixture not found next to the test bundle; build it with `swift build`")
            return
        }
        ProcessWorker.defaultExecutable = fixture
    }

    func testPoolShutdownWaitReleasesTheGIL() throws {
        var pool: concurrent.futures.ProcessPoolExecutor?
        XCTAssertTrue(
            try otherThreadRuns(
                setUp: {
                    pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
                    try pool?.submit(FixtureFunctions.whoami, 0.05)
                },
                during: { pool?.shutdown(wait: true) }))
    }

    func testPoolTerminateReleasesTheGIL() throws {
        var pool: concurrent.futures.ProcessPoolExecutor?
        XCTAssertTrue(
            try otherThreadRuns(
                setUp: {
                    let started = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
                    let future = try started.submit(FixtureFunctions.whoami, 30)
                    // Polled, not waited for: a Python wait here would release the GIL itself.
                    var polls = 0
                    while !future.running && !future.done && polls < 10_000 {
                        usleep(1_000)
                        polls += 1
                    }
                    pool = started
                },
                during: { pool?.terminate(wait: true) }))
    }

    /// The spawning thread's hand-off: `start()` waits while another thread starts the child.
    func testStartingAProcessReleasesTheGIL() throws {
        var children: [multiprocessing.Process] = []
        defer {
            for child in children {
                try? child.kill()
                try? child.join()
            }
        }
        XCTAssertTrue(
            try otherThreadRuns(
                setUp: {},
                during: {
                    let child = multiprocessing.Process(target: FixtureFunctions.whoami, args: 30)
                    children.append(child)
                    try child.start()
                }))
    }

    /// A shared lock held elsewhere (here by a thread outside the interpreter, for 50 ms).
    func testWaitingForASharedLockReleasesTheGIL() throws {
        let value = try multiprocessing.Value<Int32>(0)
        let lock = value.getLock()
        let holding = DispatchSemaphore(value: 0)
        XCTAssertTrue(
            try otherThreadRuns(
                setUp: {
                    Thread {
                        try? lock.withLock {
                            holding.signal()
                            usleep(50_000)
                        }
                    }.start()
                    holding.wait()  // not a Python wait: the GIL is kept
                },
                during: {
                    try lock.acquire()
                    try lock.release()
                }))
    }

    /// Runs `wait` (after `setUp`) on this thread inside a fresh interpreter up to `attempts`
    /// times; true once another thread of that interpreter got in while `wait` ran.
    private func otherThreadRuns(setUp: () throws -> Void, during wait: () throws -> Void) throws -> Bool {
        let interpreter = PyInterpreter()
        let inWait = Locked(false)  // written by the cell's thread, read by the other, each holding the GIL
        let sawIt = Locked(false)
        let stop = Locked(false)
        let other = Thread {
            while !stop.withLock({ $0 }) && !sawIt.withLock({ $0 }) {
                interpreter.run {
                    if inWait.withLock({ $0 }) { sawIt.withLock { $0 = true } }
                }
                usleep(100)  // outside the interpreter: the cell's thread can take the GIL back
            }
        }
        other.start()
        defer { stop.withLock { $0 = true } }
        return try interpreter.run {
            for _ in 0..<Self.attempts {
                try setUp()
                inWait.withLock { $0 = true }
                try wait()
                inWait.withLock { $0 = false }
                if sawIt.withLock({ $0 }) { return true }
            }
            return false
        }
    }
}
