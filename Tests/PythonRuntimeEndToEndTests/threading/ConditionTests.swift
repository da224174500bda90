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

    /// CPython wakes a condition's waiters in the order they began waiting.
    func testNotifyWakesWaitersFirstComeFirstServedAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            c = threading.Condition()
            progress = threading.Condition()
            woken = []
            def waiter(name, inside):
                with c:
                    inside.set()
                    c.wait()
                    woken.append(name)
                with progress:
                    progress.notify_all()
            threads = []
            for name in "ABCDE":
                inside = threading.Event()
                t = threading.Thread(target=waiter, args=(name, inside))
                t.start(); threads.append(t)
                inside.wait()
                with c:
                    pass  # it has let go of c: it is waiting
            for step in (1, 2):
                before = len(woken)
                with c:
                    c.notify(step)
                with progress:
                    progress.wait_for(lambda: len(woken) == before + step)
            with c:
                c.notify_all()
            for t in threads: t.join()
            print(woken[:1], sorted(woken[1:3]), sorted(woken[3:]))
            """)
        let printed = Printed()
        runInInterpreter {
            let c = threading.Condition()
            let progress = threading.Condition()
            let woken = Locked<[String]>([])
            var threads: [threading.Thread] = []
            for name in ["A", "B", "C", "D", "E"] {
                let inside = threading.Event()
                let t = threading.Thread {
                    c.withLock {
                        inside.set()
                        _ = try? c.wait()
                        woken.withLock { $0.append(name) }
                    }
                    progress.withLock { try? progress.notifyAll() }
                }
                t.start()
                threads.append(t)
                inside.wait()
                c.withLock {}  // it has let go of c: it is waiting
            }
            for step in [1, 2] {
                let before = woken.withLock { $0.count }
                try c.withLock { try c.notify(step) }
                _ = try progress.withLock { try progress.waitFor { woken.withLock { $0.count } == before + step } }
            }
            try c.withLock { try c.notifyAll() }
            for t in threads { t.join() }
            let w = woken.withLock { $0 }
            let list = { (items: [String]) in "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]" }
            printed(list(Array(w.prefix(1))), list(w[1..<3].sorted()), list(w[3...].sorted()))
        }
        XCTAssertEqual(printed.all, python)
        XCTAssertEqual(python, ["['A'] ['B', 'C'] ['D', 'E']"])
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
