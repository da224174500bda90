import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `threading.Lock` and `threading.Event`, against the real CPython where Python can see it.
final class LockEventTests: XCTestCase {
    func testLockAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            lock = threading.Lock()
            print(lock.locked(), lock.acquire(), lock.locked())
            print(lock.acquire(False), lock.acquire(timeout=0.01), lock.acquire(blocking=False))
            lock.release()
            print(lock.locked())
            try:
                lock.release()
            except Exception as e:
                print(type(e).__name__, e)
            with lock:
                print(lock.locked())
            print(lock.locked())
            lock.acquire()
            t = threading.Thread(target=lock.release)
            t.start(); t.join()
            print("released by another thread:", not lock.locked())
            """)
        let printed = Printed()
        runInInterpreter {
            let lock = threading.Lock()
            printed(py(lock.locked), py(lock.acquire()), py(lock.locked))
            printed(
                py(lock.acquire(blocking: false)), py(lock.acquire(timeout: 0.01)), py(lock.acquire(blocking: false)))
            try lock.release()
            printed(py(lock.locked))
            printed(raised { try lock.release() })
            lock.withLock { printed(py(lock.locked)) }
            printed(py(lock.locked))
            lock.acquire()
            let t = threading.Thread { try? lock.release() }
            t.start()
            t.join()
            printed("released by another thread:", py(!lock.locked))
        }
        XCTAssertEqual(printed.all, python)
    }

    func testATimedAcquireWaitsItsTimeout() {
        runInInterpreter {
            let lock = threading.Lock()
            lock.acquire()
            let before = time.perfCounter()
            XCTAssertFalse(lock.acquire(timeout: 0.05))
            XCTAssertGreaterThanOrEqual(time.perfCounter() - before, 0.05)
        }
    }

    /// Threads of one interpreter count under the lock; the waiters must give up the GIL
    /// for the holder (which needs it to run) to release, or this never finishes.
    func testContendedLockCountsExactlyAndReleasesTheGIL() {
        let interpreter = PyInterpreter()
        runInInterpreter(interpreter) {
            let lock = threading.Lock()
            let counter = Locked(0)
            let threads = (0..<4).map { _ in
                threading.Thread {
                    for _ in 0..<2000 {
                        lock.withLock {
                            let value = counter.withLock { $0 }
                            if value % 100 == 0 { time.sleep(0.0001) }  // hold it across a blocking call
                            counter.withLock { $0 = value + 1 }
                        }
                    }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            XCTAssertEqual(counter.withLock { $0 }, 8000)
            XCTAssertTrue(interpreter.holdsGIL)
        }
    }

    func testEventAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            e = threading.Event()
            print(e.is_set(), e.wait(0), e.wait(0.01), e.wait(-1))
            e.set()
            print(e.is_set(), e.wait(), e.wait(0))
            e.clear()
            print(e.is_set())
            seen = []
            t = threading.Thread(target=lambda: seen.append(e.wait()))
            t.start(); e.set(); t.join()
            print(seen)
            """)
        let printed = Printed()
        runInInterpreter {
            let e = threading.Event()
            printed(py(e.isSet), py(e.wait(timeout: 0)), py(e.wait(timeout: 0.01)), py(e.wait(timeout: -1)))
            e.set()
            printed(py(e.isSet), py(e.wait()), py(e.wait(timeout: 0)))
            e.clear()
            printed(py(e.isSet))
            let seen = Locked<[String]>([])
            let t = threading.Thread {
                let got = e.wait(); seen.withLock { $0.append(py(got)) }
            }
            t.start()
            e.set()
            t.join()
            printed("[" + seen.withLock { $0 }.joined(separator: ", ") + "]")
        }
        XCTAssertEqual(printed.all, python)
    }

    /// A waiter woken by `set()` reports true even when the flag is cleared before it runs,
    /// as CPython's notified waiters do.
    func testAWaiterWokenBySetReturnsTrueAfterAClear() {
        runInInterpreter {
            let e = threading.Event()
            let waiting = threading.Event()
            let got = Locked<Bool?>(nil)
            let t = threading.Thread {
                waiting.set()
                got.withLock { $0 = e.wait(timeout: 30) }
            }
            t.start()
            waiting.wait()
            time.sleep(0.02)  // let it block (if it has not yet, it sees the set count change anyway)
            e.set()
            e.clear()
            t.join()
            XCTAssertEqual(got.withLock { $0 }, true)
        }
    }

    /// The setter is a thread of the same interpreter: it runs only if the waiter gave up the GIL.
    func testEventWaitReleasesTheGIL() {
        let interpreter = PyInterpreter()
        runInInterpreter(interpreter) {
            let e = threading.Event()
            let t = threading.Thread {
                time.sleep(0.01)
                e.set()
            }
            t.start()
            XCTAssertTrue(e.wait(timeout: 30))
            XCTAssertTrue(interpreter.holdsGIL)
            t.join()
        }
    }
}
