import Foundation
import FuturesWorkerFixture
import Processes
import PythonRuntime
import TestKit
import XCTest

/// `KernelProfile.ipykernel7` against the real kernel (`scripts/kernel_profile.py`, nbclient
/// and ipykernel from the test venv): its threads, its counter, its cell file names.
final class KernelProfileTests: XCTestCase {
    func testABareInterpreterIsAPlainPython3() {
        let interpreter = PyInterpreter()
        let (names, next) = interpreter.run { (threading.enumerate().map(\.name), threading.Thread {}.name) }
        XCTAssertEqual(names, ["MainThread"])
        XCTAssertEqual(next, "Thread-1")
    }
}
