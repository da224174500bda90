import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import SystemCalls
import TestKit
import XCTest

/// Python's exceptions as classes: caught by Python's name and hierarchy, the same class
/// whether raised here or in a worker process, and `Process.close()` as CPython 3.11 has it.
final class ExceptionClassTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    /// `except OSError` catches a `ConnectionResetError`; a failed system call is the
    /// subclass CPython picks for its errno, with CPython's `str()`.
    func testTheHierarchyCatchesSubclassesAsPythonDoes() throws {
        let reset: any Error = builtins.ConnectionResetError("peer reset")
        XCTAssertTrue(reset is builtins.ConnectionError)
        XCTAssertTrue(reset is builtins.OSError)
        XCTAssertFalse(reset is builtins.ValueError)
        XCTAssertTrue(builtins.NotImplementedError("x") is builtins.RuntimeError)
        XCTAssertTrue(concurrent.futures.process.BrokenProcessPool("x") is builtins.RuntimeError)
        XCTAssertTrue(concurrent.futures.TimeoutError() is builtins.OSError)

        let pipe = SystemCallError("write", Errno(rawValue: EPIPE)).pythonException
        XCTAssertTrue(pipe is builtins.BrokenPipeError)
        XCTAssertEqual([pipe.pythonName, pipe.pythonMessage], ["BrokenPipeError", "[Errno 32] Broken pipe"])
        XCTAssertEqual(pipe.errno, EPIPE)
        let missing = builtins.OSError.forErrno(ENOENT, filename: "data.txt")
        XCTAssertTrue(missing is builtins.FileNotFoundError)
        XCTAssertEqual(missing.pythonMessage, "[Errno 2] No such file or directory: 'data.txt'")
    }

    /// A send to a pipe whose reader is gone is the `BrokenPipeError` CPython raises, caught
    /// as a `ConnectionError`.
    func testASendToAClosedPipeIsABrokenPipeError() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp
            a, b = mp.Pipe()
            b.close()
            try: a.send(1)
            except ConnectionError as e: print(type(e).__name__, e, isinstance(e, OSError))
            """)
        let (a, b) = try multiprocessing.Pipe() as (multiprocessing.Connection<Int>, multiprocessing.Connection<Int>)
        b.close()
        var swift: [String] = []
        do { try a.send(1) } catch let e as builtins.ConnectionError {
            swift.append("\(e.pythonName) \(e) \(e is builtins.OSError ? "True" : "False")")
        }
        XCTAssertEqual(swift, python)
    }

    /// What a worker raises comes back as the class it raised, so one `catch` serves a local
    /// and a remote raise; a class without a Swift type comes back by name and message.
    func testAWorkersRaiseComesBackAsTheSameClass() throws {
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            func raised(_ name: String) throws -> any Error {
                do {
                    _ = try pool.submit(FixtureFunctions.raiseNamed, name).result(timeout: 30)
                } catch {
                    return error
                }
                throw XCTSkip("fixture.raiseNamed returned")
            }
            let reset = try raised("ConnectionResetError")
            XCTAssertTrue(reset is builtins.ConnectionResetError, "\(type(of: reset))")
            XCTAssertEqual(reset as? builtins.OSError, builtins.ConnectionResetError("peer reset"))
            let pipe = try XCTUnwrap(try raised("BrokenPipeError") as? builtins.BrokenPipeError)
            XCTAssertEqual(pipe.errno, EPIPE, "an errno's OSError keeps its errno across")
            XCTAssertEqual(pipe.pythonMessage, "[Errno 32] Broken pipe")
            XCTAssertTrue(try raised("Empty") is queue.Empty)
            XCTAssertTrue(try raised("PicklingError") is pickle.PicklingError)
            let own = try raised("MyError")
            XCTAssertTrue(own is PythonError && own is builtins.Exception)
            XCTAssertEqual(
                [pythonExceptionName(of: own), pythonExceptionMessage(of: own)],
                ["MyError", "raised by a notebook's class"])
            XCTAssertTrue(try raised("ValueError") is PythonError, "a name alone does not pick a class")
        }
        do {
            _ = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
                try pool.submit(FixtureFunctions.checkPositive, -1).result(timeout: 30)
            }
            XCTFail("checkPositive(-1) returned")
        } catch let error as builtins.ValueError {
            XCTAssertEqual(error.pythonMessage, "-1 is negative")
        }
    }

    /// After `close()`, every method CPython 3.11 checks raises `ValueError`; a running
    /// process refuses `close()`; `close()` twice is allowed.
    func testProcessCloseBehavesAsInCPython() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp, time
            def nap(seconds): time.sleep(seconds)
            p = mp.Process(target=nap, args=(0.3,))
            p.start()
            try: p.close()
            except ValueError as e: print('close', type(e).__name__, e)
            print('alive', p.is_alive())
            p.join()
            p.close()
            p.close()
            checks = [('start', p.start), ('join', p.join), ('terminate', p.terminate), ('kill', p.kill),
                      ('is_alive', p.is_alive), ('exitcode', lambda: p.exitcode), ('pid', lambda: p.pid)]
            for name, call in checks:
                try: call(); print(name, 'ok')
                except ValueError as e: print(name, type(e).__name__, e)
            print('name', p.name == p.name)
            """)
        var swift: [String] = []
        func line(_ name: String, _ call: () throws -> Void) {
            do {
                try call()
                swift.append("\(name) ok")
            } catch let error as builtins.ValueError {
                swift.append("\(name) \(error.pythonName) \(error.pythonMessage)")
            } catch {
                swift.append("\(name) \(error)")
            }
        }
        let p = multiprocessing.Process(target: FixtureFunctions.whoami, args: 0.3)
        try p.start()
        do { try p.close() } catch let error as builtins.ValueError {
            swift.append("close \(error.pythonName) \(error.pythonMessage)")
        }
        swift.append("alive \(try p.isAlive ? "True" : "False")")
        try p.join()
        try p.close()
        try p.close()
        line("start") { try p.start() }
        line("join") { try p.join() }
        line("terminate") { try p.terminate() }
        line("kill") { try p.kill() }
        line("is_alive") { _ = try p.isAlive }
        line("exitcode") { _ = try p.exitcode }
        line("pid") { _ = try p.pid }
        swift.append("name \(p.name == p.name ? "True" : "False")")
        XCTAssertEqual(swift, python)
    }
}
