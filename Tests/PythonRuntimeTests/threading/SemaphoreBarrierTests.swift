import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `Semaphore`, `BoundedSemaphore`, `Barrier`, `Timer` and `local` against the real CPython;
/// every thread of a scenario in one interpreter, so a wait keeping the GIL would hang it.
final class SemaphoreBarrierTests: XCTestCase {
    /// A barrier is reusable: the same parties pass it round after round.
    func testABarrierServesRoundAfterRound() {
        runInInterpreter {
            let b = threading.Barrier(3)
            let passed = Locked(0)
            let threads = (0..<3).map { _ in
                threading.Thread {
                    for _ in 0..<20 where (try? b.wait(timeout: 30)) != nil { passed.withLock { $0 += 1 } }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            XCTAssertEqual(passed.withLock { $0 }, 60)
            XCTAssertFalse(b.broken)
        }
    }
}
