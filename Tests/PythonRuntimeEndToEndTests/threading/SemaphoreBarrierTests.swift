import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `Semaphore`, `BoundedSemaphore`, `Barrier`, `Timer` and `local` against the real CPython;
/// every thread of a scenario in one interpreter, so a wait keeping the GIL would hang it.
final class SemaphoreBarrierTests: XCTestCase {
    func testSemaphoresAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            s = threading.Semaphore(2)
            print(s.acquire(), s.acquire(), s.acquire(blocking=False), s.acquire(timeout=0.01))
            s.release(2)
            print(s.acquire(False), s.acquire(False), s.acquire(False))
            s.release(); s.release(); s.release()
            print(s.acquire(False), s.acquire(False), s.acquire(False), s.acquire(False))
            b = threading.BoundedSemaphore(1)
            print(b.acquire(), b.acquire(False))
            b.release()
            try:
                b.release()
            except Exception as e:
                print(type(e).__name__, e)
            with b:
                print(b.acquire(False))
            print(b.acquire(False))
            """)
        let printed = Printed()
        runInInterpreter {
            let s = threading.Semaphore(2)
            printed(py(s.acquire()), py(s.acquire()), py(s.acquire(blocking: false)), py(s.acquire(timeout: 0.01)))
            s.release(2)
            printed(py(s.acquire(blocking: false)), py(s.acquire(blocking: false)), py(s.acquire(blocking: false)))
            s.release()
            s.release()
            s.release()
            printed(
                py(s.acquire(blocking: false)), py(s.acquire(blocking: false)), py(s.acquire(blocking: false)),
                py(s.acquire(blocking: false)))
            let b = threading.BoundedSemaphore(1)
            printed(py(b.acquire()), py(b.acquire(blocking: false)))
            try b.release()
            printed(raised { try b.release() })
            b.withLock { printed(py(b.acquire(blocking: false))) }
            printed(py(b.acquire(blocking: false)))
        }
        XCTAssertEqual(printed.all, python)
    }

    /// At most `value` threads inside at once, and all of them get in eventually.
    func testASemaphoreBoundsTheThreadsInside() {
        runInInterpreter {
            let s = threading.Semaphore(2)
            let inside = Locked((now: 0, most: 0, total: 0))
            let threads = (0..<6).map { _ in
                threading.Thread {
                    s.withLock {
                        inside.withLock {
                            $0.now += 1; $0.most = max($0.most, $0.now); $0.total += 1
                        }
                        time.sleep(0.01)
                        inside.withLock { $0.now -= 1 }
                    }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            let seen = inside.withLock { $0 }
            XCTAssertEqual(seen.total, 6)
            XCTAssertEqual(seen.most, 2)
        }
    }

    func testBarrierAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            actions = []
            b = threading.Barrier(3, action=lambda: actions.append("action"))
            indices = []
            def party():
                indices.append(b.wait())
            threads = [threading.Thread(target=party) for _ in range(3)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(sorted(indices), actions, b.parties, b.n_waiting, b.broken)
            lone = threading.Barrier(2, timeout=0.01)
            try:
                lone.wait()
            except Exception as e:
                print(type(e).__name__, repr(str(e)), lone.broken)
            try:
                lone.wait()
            except Exception as e:
                print(type(e).__name__, lone.broken)
            lone.reset()
            print(lone.broken)
            lone.abort()
            print(lone.broken)
            def fail():
                raise ValueError("action failed")
            f = threading.Barrier(2, action=fail)
            outcomes = []
            def party2():
                try:
                    f.wait()
                    outcomes.append("passed")
                except Exception as e:
                    outcomes.append(f"{type(e).__name__} {e}")
            threads = [threading.Thread(target=party2) for _ in range(2)]
            for t in threads: t.start()
            for t in threads: t.join()
            print(sorted(outcomes), f.broken)
            """)
        let printed = Printed()
        runInInterpreter {
            let actions = Locked<[String]>([])
            let b = threading.Barrier(3, action: { actions.withLock { $0.append("'action'") } })
            let indices = Locked<[Int]>([])
            var threads = (0..<3).map { _ in
                threading.Thread { if let i = try? b.wait() { indices.withLock { $0.append(i) } } }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            printed(
                "\(indices.withLock { $0 }.sorted())", "[" + actions.withLock { $0 }.joined(separator: ", ") + "]",
                b.parties, b.nWaiting, py(b.broken))
            let lone = threading.Barrier(2, timeout: 0.01)
            printed(reprRaised { try lone.wait() }, py(lone.broken))
            printed(pythonExceptionName(of: lone.waitError()), py(lone.broken))
            lone.reset()
            printed(py(lone.broken))
            lone.abort()
            printed(py(lone.broken))
            let f = threading.Barrier(2, action: { throw builtins.ValueError("action failed") })
            let outcomes = Locked<[String]>([])
            threads = (0..<2).map { _ in
                threading.Thread {
                    let outcome = raised { try f.wait() }
                    outcomes.withLock { $0.append(outcome == "no error" ? "passed" : outcome) }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            printed(
                "[" + outcomes.withLock { $0 }.sorted().map { "'\($0)'" }.joined(separator: ", ") + "]", py(f.broken))
        }
        XCTAssertEqual(printed.all, python)
    }

    func testTimerAndLocalAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            fired = []
            t = threading.Timer(0.01, lambda: fired.append("fired"))
            print(t.name)
            t.start(); t.join()
            c = threading.Timer(30, lambda: fired.append("cancelled one fired"))
            c.start(); c.cancel(); c.join()
            print(fired, c.is_alive())
            class Local(threading.local):
                def __init__(self):
                    self.value = 0
            local = Local()
            local.value = 1
            seen = []
            def work(n):
                seen.append(local.value)
                local.value = n
                seen.append(local.value)
            threads = [threading.Thread(target=work, args=(n,)) for n in (5, 6)]
            for th in threads: th.start()
            for th in threads: th.join()
            print(sorted(seen), local.value)
            """)
        let printed = Printed()
        runInInterpreter {
            let fired = Locked<[String]>([])
            let t = threading.Timer(0.01) { fired.withLock { $0.append("'fired'") } }
            printed(t.name)
            t.start()
            t.join()
            let c = threading.Timer(30) { fired.withLock { $0.append("'cancelled one fired'") } }
            c.start()
            c.cancel()
            c.join()
            printed("[" + fired.withLock { $0 }.joined(separator: ", ") + "]", py(c.isAlive))
            let local = threading.local { 0 }
            local.value = 1
            let seen = Locked<[Int]>([])
            let threads = [5, 6].map { n in
                threading.Thread {
                    seen.withLock { $0.append(local.value) }
                    local.value = n
                    seen.withLock { $0.append(local.value) }
                }
            }
            for th in threads { th.start() }
            for th in threads { th.join() }
            printed("\(seen.withLock { $0 }.sorted())", local.value)
        }
        XCTAssertEqual(printed.all, python)
    }

    func testATimerWaitsItsInterval() {
        runInInterpreter {
            let start = time.perfCounter()
            let firedAt = Locked<Double?>(nil)
            let t = threading.Timer(0.05) { firedAt.withLock { $0 = time.perfCounter() } }
            t.start()
            t.join()
            XCTAssertGreaterThanOrEqual((firedAt.withLock { $0 } ?? 0) - start, 0.05)
        }
    }
}

extension threading.Barrier {
    /// What `wait()` throws (`BrokenBarrierError` expected), or a marker error if it passed.
    fileprivate func waitError() -> any Error {
        do {
            try wait()
            return PythonError("NoError", "")
        } catch {
            return error
        }
    }
}
