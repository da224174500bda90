import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `threading.RLock` and `threading.Condition` against the real CPython. Every scenario
/// runs its threads inside one interpreter: a wait that kept the GIL would stop the thread
/// that ends it, and the scenario would not finish.
final class ConditionTests: XCTestCase {
    func testRLockAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            r = threading.RLock()
            print(r.acquire(), r.acquire(blocking=False), r.acquire(timeout=0.01))
            other = []
            t = threading.Thread(target=lambda: other.append(r.acquire(timeout=0.01)))
            t.start(); t.join()
            print(other)
            def release_there():
                try:
                    r.release()
                except Exception as e:
                    other.append(f"{type(e).__name__} {e}")
            t = threading.Thread(target=release_there)
            t.start(); t.join()
            print(other[-1])
            r.release(); r.release(); r.release()
            try:
                r.release()
            except Exception as e:
                print(type(e).__name__, e)
            with r:
                with r:
                    print("nested")
            t = threading.Thread(target=lambda: other.append(r.acquire(blocking=False)))
            t.start(); t.join()
            print(other[-1])
            """)
        let printed = Printed()
        runInInterpreter {
            let r = threading.RLock()
            printed(py(r.acquire()), py(r.acquire(blocking: false)), py(r.acquire(timeout: 0.01)))
            let other = Locked<[String]>([])
            var t = threading.Thread { other.withLock { $0.append(py(r.acquire(timeout: 0.01))) } }
            t.start()
            t.join()
            printed("[" + other.withLock { $0 }.joined(separator: ", ") + "]")
            t = threading.Thread {
                let outcome = raised { try r.release() }
                other.withLock { $0.append(outcome) }
            }
            t.start()
            t.join()
            printed(other.withLock { $0.last ?? "" })
            try r.release()
            try r.release()
            try r.release()
            printed(raised { try r.release() })
            r.withLock { r.withLock { printed("nested") } }
            t = threading.Thread { other.withLock { $0.append(py(r.acquire(blocking: false))) } }
            t.start()
            t.join()
            printed(other.withLock { $0.last ?? "" })
        }
        XCTAssertEqual(printed.all, python)
    }

    func testConditionErrorsAndTimeoutsAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            for c in (threading.Condition(), threading.Condition(threading.Lock())):
                for call in (c.wait, c.notify, c.notify_all):
                    try:
                        call()
                    except Exception as e:
                        print(type(e).__name__, e)
                with c:
                    print(c.wait(0.01), c.wait(0), c.wait(-1), c.wait_for(lambda: True), c.wait_for(lambda: False, 0.01))
                    c.notify(); c.notify_all()
                print(c.wait_for(lambda: 42 == 42))
            """)
        let printed = Printed()
        runInInterpreter {
            for c in [threading.Condition(), threading.Condition(threading.Lock())] {
                printed(raised { try c.wait() })
                printed(raised { try c.notify() })
                printed(raised { try c.notifyAll() })
                try c.withLock {
                    printed(
                        py(try c.wait(timeout: 0.01)), py(try c.wait(timeout: 0)), py(try c.wait(timeout: -1)),
                        py(try c.waitFor { true }), py(try c.waitFor(timeout: 0.01) { false }))
                    try c.notify()
                    try c.notifyAll()
                }
                printed(py(try c.waitFor { 42 == 42 }))
            }
        }
        XCTAssertEqual(printed.all, python)
    }

    /// `wait_for` with a timeout spends one budget across wake-ups that find it still false.
    func testWaitForKeepsOneDeadlineAcrossWakeUps() {
        runInInterpreter {
            let c = threading.Condition()
            let stop = threading.Event()
            let nagger = threading.Thread {
                while !stop.isSet {
                    c.withLock { try? c.notifyAll() }
                    time.sleep(0.005)
                }
            }
            nagger.start()
            let before = time.perfCounter()
            let result = try c.withLock { try c.waitFor(timeout: 0.1) { false } }
            let waited = time.perfCounter() - before
            stop.set()
            nagger.join()
            XCTAssertFalse(result)
            XCTAssertGreaterThanOrEqual(waited, 0.1)
        }
    }
}
