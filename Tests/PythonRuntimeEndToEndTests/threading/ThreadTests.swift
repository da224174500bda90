import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `threading.Thread` and the module functions about threads, against the real CPython.
final class ThreadTests: XCTestCase {
    func testJoinWithATimeoutReturnsWhileTheThreadRuns() {
        runInInterpreter {
            let gate = threading.Event()
            let t = threading.Thread { gate.wait() }
            t.start()
            let before = time.perfCounter()
            t.join(timeout: 0.05)
            XCTAssertGreaterThanOrEqual(time.perfCounter() - before, 0.05)
            XCTAssertTrue(t.isAlive)
            gate.set()
            t.join(timeout: 30)
            XCTAssertFalse(t.isAlive)
        }
    }
}
