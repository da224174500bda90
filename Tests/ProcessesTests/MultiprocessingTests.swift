import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

/// Each scenario runs in the real python3 (fork, CPython's default on Linux) and with the
/// look-alikes, and both print the same lines.
final class MultiprocessingTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    }

    /// Worker numbers depend on how many children this test process started before.
    private func numbersHidden(_ line: String) -> String {
        line.replacingOccurrences(of: "[0-9]+", with: "N", options: .regularExpression)
    }

    func testPoolMatchesCPython() throws {
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp
            def name(x): return mp.current_process().name
            def power(a, b): return a ** b
            def check(n):
                if n < 0: raise ValueError(f"{n} is negative")
                return n
            print(mp.current_process().name, mp.cpu_count())
            with mp.Pool(2) as pool:
                print(pool.starmap(power, [(2, 3), (3, 2), (10, 0)]))
                names = set(pool.map(name, range(8), chunksize=1))
                print(len(names), sorted(names)[0])
                print(list(pool.imap(check, range(5))))
                print(sorted(pool.imap_unordered(check, range(5), chunksize=2)))
                print(pool.map(check, []), pool.apply(check, (3,)))
                r = pool.apply_async(check, (7,))
                print(r.get(timeout=10), r.ready(), r.successful())
                try: pool.map(check, [1, -2, 3])
                except ValueError as e: print("ValueError", e)
                r = pool.apply_async(check, (-1,))
                r.wait()
                print(r.ready(), r.successful())
                it = pool.imap(check, [4, -5, 6])
                print(next(it))
                try: next(it)
                except ValueError as e: print("ValueError", e)
                print(next(it))
                try: pool.join()
                except ValueError as e: print("ValueError", e)
                pool.close()
                try: pool.apply_async(check, (1,))
                except ValueError as e: print("ValueError", e)
                pool.join()
            try: mp.Pool(0)
            except ValueError as e: print("ValueError", e)
            """)
        var swift: [String] = []
        swift.append("\(multiprocessing.currentProcess().name) \(multiprocessing.cpuCount())")
        let check = FixtureFunctions.checkPositive
        try multiprocessing.Pool.with(processes: 2) { pool in
            swift.append("\(try pool.starmap(MultiprocessingFunctions.power, [(2, 3), (3, 2), (10, 0)]))")
            let names = Set(try pool.map(MultiprocessingFunctions.processName, 0..<8, chunksize: 1))
            swift.append("\(names.count) \(names.sorted()[0])")
            let ordered = try pool.imap(check, 0..<5)
            var inOrder: [Int] = []
            while let value = try ordered.next() { inOrder.append(value) }
            swift.append("\(inOrder)")
            let unordered = try pool.imapUnordered(check, 0..<5, chunksize: 2)
            var arrived: [Int] = []
            while let value = try unordered.next() { arrived.append(value) }
            swift.append("\(arrived.sorted())")
            swift.append("\(try pool.map(check, [])) \(try pool.apply(check, 3))")
            let result = try pool.applyAsync(check, 7)
            swift.append(
                "\(try result.get(timeout: 10)) \(pythonBool(result.ready())) \(pythonBool(try result.successful()))")
            do {
                _ = try pool.map(check, [1, -2, 3])
            } catch let error as BaseException {
                swift.append("\(error.pythonName) \(error.pythonMessage)")
            }
            let failing = try pool.applyAsync(check, -1)
            failing.wait()
            swift.append("\(pythonBool(failing.ready())) \(pythonBool(try failing.successful()))")
            let iterator = try pool.imap(check, [4, -5, 6])
            swift.append("\(try iterator.next() ?? 0)")
            do {
                _ = try iterator.next()
            } catch let error as BaseException {
                swift.append("\(error.pythonName) \(error.pythonMessage)")
            }
            swift.append("\(try iterator.next() ?? 0)")
            do { try pool.join() } catch let error as BaseException {
                swift.append("\(error.pythonName) \(error.pythonMessage)")
            }
            pool.close()
            do { _ = try pool.applyAsync(check, 1) } catch let error as BaseException {
                swift.append("\(error.pythonName) \(error.pythonMessage)")
            }
            try pool.join()
        }
        do { _ = try multiprocessing.Pool(processes: 0) } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        XCTAssertEqual(swift.map(numbersHidden), python.map(numbersHidden))
    }

    /// Shared objects cross only by inheritance: in a pool call's arguments they are refused.
    func testAQueueCannotGoToAPoolCall() throws {
        let queue = try multiprocessing.Queue<Int>()
        try multiprocessing.Pool.with(processes: 1) { pool in
            let result = try pool.applyAsync(MultiprocessingFunctions.produce, .init(queue: queue, count: 1))
            assertPythonError(
                try result.get(timeout: 10), "RuntimeError",
                "Queue objects should only be shared between processes through inheritance")
        }
    }

    /// `terminate()` (the end of `Pool.with`) leaves no worker behind.
    func testPoolWorkersDieWithTerminate() throws {
        let pool = try multiprocessing.Pool(processes: 2)
        XCTAssertEqual(try pool.map(FixtureFunctions.square, [1, 2, 3]), [1, 4, 9])
        let pids = try (0..<2).map { _ in try pool.apply(FixtureFunctions.whoami, 0.0) }
        pool.terminate()
        try pool.join()
        XCTAssertEqual(survivors(of: pids), [])
    }

    private func pythonBool(_ value: Bool) -> String { value ? "True" : "False" }
}
