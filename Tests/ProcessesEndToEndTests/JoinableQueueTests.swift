import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

/// `multiprocessing.JoinableQueue`, `SimpleQueue` and `Process.close()`, against the real
/// python3 running the same scenario.
final class JoinableQueueTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    }

    func testJoinableQueueSimpleQueueAndCloseBehaveAsInCPython() throws {
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp, time
            def consume(tasks, results):
                while True:
                    n = tasks.get()
                    try:
                        if n < 0: return
                        time.sleep(0.01)
                        results.put(n * n)
                    finally:
                        tasks.task_done()
            def nap(seconds): time.sleep(seconds)
            tasks, results = mp.JoinableQueue(), mp.SimpleQueue()
            p = mp.Process(target=consume, args=(tasks, results))
            p.start()
            for n in range(5): tasks.put(n)
            tasks.put(-1)
            tasks.join()
            print(sorted(results.get() for _ in range(5)), results.empty())
            p.join()
            try: tasks.task_done()
            except ValueError as e: print('ValueError', e)
            p.close()
            try: p.start()
            except ValueError as e: print('ValueError', e)
            sleeper = mp.Process(target=nap, args=(0.3,))
            sleeper.start()
            try: sleeper.close()
            except ValueError as e: print('ValueError', e)
            sleeper.join()
            sleeper.close()
            mp.Process(target=nap, args=(0,)).close()
            results.close()
            for call in (results.get, results.empty, lambda: results.put(1)):
                try: call()
                except OSError as e: print('OSError', e)
            """)
        var swift: [String] = []
        let tasks = try multiprocessing.JoinableQueue<Int>()
        let results = try multiprocessing.SimpleQueue<Int>()
        let consumer = multiprocessing.Process(
            target: MultiprocessingFunctions.consume, args: .init(tasks: tasks, results: results))
        try consumer.start()
        for n in 0..<5 { try tasks.put(n) }
        try tasks.put(-1)
        try tasks.join()
        let squares = try (0..<5).map { _ in try results.get() }.sorted()
        swift.append("\(squares) \(try results.empty() ? "True" : "False")")
        try consumer.join()
        do { try tasks.taskDone() } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        try consumer.close()
        do { try consumer.start() } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        let sleeper = multiprocessing.Process(target: MultiprocessingFunctions.nap, args: 0.3)
        try sleeper.start()
        do { try sleeper.close() } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        try sleeper.join()
        try sleeper.close()
        try multiprocessing.Process(target: MultiprocessingFunctions.nap, args: 0).close()
        results.close()
        let calls: [() throws -> Void] = [
            { _ = try results.get() }, { _ = try results.empty() }, { try results.put(1) },
        ]
        for call in calls {
            do { try call() } catch let error as BaseException {
                swift.append("\(error.pythonName) \(error.pythonMessage)")
            }
        }
        XCTAssertEqual(swift, python)
    }
}
