import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `threading.Thread` and the module functions about threads, against the real CPython.
final class ThreadTests: XCTestCase {
    func testNamesCountsAndLifecycleAsInCPython() throws {
        let python = try pythonPrints(
            """
            import threading
            def worker():
                print("in", threading.current_thread().name, threading.current_thread().daemon)
            t = threading.Thread(target=worker)
            print(t.name, t.is_alive(), t.ident is None, t.daemon)
            t.start(); t.join()
            print(t.is_alive(), t.ident is not None)
            print(threading.Thread(target=worker, name="custom").name)
            print(threading.Thread().name)
            d = threading.Thread(target=worker, daemon=True)
            print(d.name, d.daemon)
            d.start(); d.join()
            print(threading.current_thread().name, threading.main_thread().name, threading.active_count())
            gate = threading.Event()
            w = threading.Thread(target=gate.wait)
            w.start()
            print(threading.active_count(), [x.name for x in threading.enumerate()], w.is_alive())
            gate.set(); w.join()
            print(threading.active_count(), w.is_alive())
            print(threading.current_thread() is threading.main_thread())
            """)
        let printed = Printed()
        runInInterpreter {
            @Sendable func worker() {
                printed("in", threading.currentThread().name, threading.currentThread().daemon ? "True" : "False")
            }
            let t = threading.Thread(targetName: "worker", target: worker)
            printed(t.name, py(t.isAlive), py(t.ident == nil), py(t.daemon))
            t.start()
            t.join()
            printed(py(t.isAlive), py(t.ident != nil))
            printed(threading.Thread(name: "custom", targetName: "worker", target: worker).name)
            printed(threading.Thread {}.name)
            let d = threading.Thread(daemon: true, targetName: "worker", target: worker)
            printed(d.name, py(d.daemon))
            d.start()
            d.join()
            printed(threading.currentThread().name, threading.mainThread().name, threading.activeCount())
            let gate = threading.Event()
            let w = threading.Thread(targetName: "wait") { gate.wait() }
            w.start()
            printed(
                threading.activeCount(),
                "[" + threading.enumerate().map { "'\($0.name)'" }.joined(separator: ", ") + "]", py(w.isAlive))
            gate.set()
            w.join()
            printed(threading.activeCount(), py(w.isAlive))
            printed(py(threading.currentThread() === threading.mainThread()))
        }
        XCTAssertEqual(printed.all, python)
    }

    /// Pool workers are named as CPython names them (`ThreadPoolExecutor-N_i`, N counting the
    /// unnamed executors of the process), each interpreter counting its own as each kernel does.
    func testExecutorWorkerNamesAsInCPython() throws {
        let script = """
            import threading
            from concurrent.futures import ThreadPoolExecutor
            def name():
                return threading.current_thread().name
            with ThreadPoolExecutor(max_workers=2) as pool:
                print(pool.submit(name).result())
            with ThreadPoolExecutor(max_workers=1) as pool:
                print(pool.submit(name).result())
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="io") as pool:
                print(pool.submit(name).result())
            with ThreadPoolExecutor(max_workers=1) as pool:
                print(pool.submit(name).result())
            """
        let python = try pythonPrints(script)
        for _ in 0..<2 {  // a second interpreter counts from 0 again
            let printed = Printed()
            runInInterpreter {
                @Sendable func name() -> String { threading.currentThread().name }
                for prefix in ["", "", "io", ""] {
                    try concurrent.futures.ThreadPoolExecutor.with(
                        maxWorkers: prefix.isEmpty ? 2 : 1, threadNamePrefix: prefix
                    ) { pool in
                        printed(try pool.submit(name).result())
                    }
                }
            }
            XCTAssertEqual(printed.all, python)
        }
    }

    func testIdentsAreTheRunningOSThreads() {
        runInInterpreter {
            let seen = Locked<(Int, Int)?>(nil)
            let t = threading.Thread { seen.withLock { $0 = (threading.getIdent(), threading.getNativeID()) } }
            t.start()
            t.join()
            let (ident, native) = seen.withLock { $0 } ?? (0, 0)
            XCTAssertEqual(t.ident, ident)
            XCTAssertEqual(t.nativeID, native)
            XCTAssertGreaterThan(native, 0)
            XCTAssertNotEqual(native, threading.getNativeID())
            XCTAssertEqual(threading.mainThread().ident, threading.getIdent())
            XCTAssertEqual(threading.mainThread().nativeID, threading.getNativeID())
        }
    }

    /// A daemon thread's threads are daemons unless told otherwise, as in CPython.
    func testDaemonIsInheritedFromTheCreatingThread() {
        runInInterpreter {
            let inner = Locked<[Bool]>([])
            let outer = threading.Thread(daemon: true) {
                inner.withLock { $0.append(threading.Thread {}.daemon) }
                inner.withLock { $0.append(threading.Thread(daemon: false) {}.daemon) }
            }
            outer.start()
            outer.join()
            XCTAssertEqual(inner.withLock { $0 }, [true, false])
            XCTAssertFalse(threading.Thread {}.daemon)
        }
    }

    /// Each interpreter stands for a process: its own counter, its own MainThread.
    func testEveryInterpreterCountsItsOwnThreads() {
        for _ in 0..<2 {
            runInInterpreter {
                XCTAssertEqual(threading.Thread {}.name, "Thread-1")
                XCTAssertEqual(threading.activeCount(), 1)
            }
        }
    }

    /// A pool worker is not a `threading` thread: it gets a stand-in named after the worker.
    func testAPoolWorkerIsADummyThreadNamedAfterItself() throws {
        runInInterpreter {
            let name = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 1, threadNamePrefix: "pool") { pool in
                try pool.submit { threading.currentThread().name + " " + py(threading.currentThread().daemon) }.result()
            }
            XCTAssertEqual(name, "pool_0 True")
            XCTAssertEqual(threading.activeCount(), 1)
        }
    }

    func testReprAsInCPython() {
        runInInterpreter {
            let t = threading.Thread(name: "w", daemon: true) {}
            XCTAssertEqual("\(t)", "<Thread(w, initial daemon)>")
            t.start()
            t.join()
            XCTAssertEqual("\(t)", "<Thread(w, stopped daemon \(t.ident ?? 0))>")
            XCTAssertEqual("\(threading.mainThread())", "<_MainThread(MainThread, started \(threading.getIdent()))>")
        }
    }

    /// In CPython a new thread holds the GIL when it signals that it has started, so a short
    /// target prints before `start()` returns to its caller.
    func testANewThreadRunsBeforeStartReturns() {
        runInInterpreter {
            let order = Locked<[String]>([])
            for round in 0..<20 {
                let t = threading.Thread { order.withLock { $0.append("thread \(round)") } }
                t.start()
                order.withLock { $0.append("caller \(round)") }
                t.join()
            }
            XCTAssertEqual(order.withLock { $0 }, (0..<20).flatMap { ["thread \($0)", "caller \($0)"] })
        }
    }

    /// Waiting to join releases the GIL: the joined thread needs it to run at all.
    func testJoinReleasesTheGIL() {
        let interpreter = PyInterpreter()
        runInInterpreter(interpreter) {
            let ranInside = Locked(false)
            let t = threading.Thread { ranInside.withLock { $0 = interpreter.holdsGIL } }
            t.start()
            t.join()
            XCTAssertTrue(ranInside.withLock { $0 })
            XCTAssertTrue(interpreter.holdsGIL)
        }
    }
}
