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

    func testQueuePipeArrayAndLockCrossToProcessesAsInCPython() throws {
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp, queue
            def produce(q, n):
                for i in range(n): q.put(i * i)
            def talk(conn):
                conn.send(mp.current_process().name)
                conn.send(conn.recv() * 2)
                conn.close()
            def bump(arr, lock, n):
                for _ in range(n):
                    with lock:
                        for i in range(len(arr)): arr[i] += i
            q = mp.Queue()
            p = mp.Process(target=produce, args=(q, 5))
            p.start()
            print([q.get(timeout=10) for _ in range(5)])
            p.join()
            print(p.exitcode)
            try: q.get(timeout=0.05)
            except queue.Empty: print("Empty")
            a, b = mp.Pipe()
            p = mp.Process(target=talk, args=(b,), name="talker")
            p.start()
            print(a.recv())
            a.send("ab")
            print(a.recv())
            p.join()
            b.close()
            print(a.poll(1))
            try: a.recv()
            except EOFError: print("EOFError")
            arr = mp.Array('i', 4)
            lock = mp.Lock()
            ps = [mp.Process(target=bump, args=(arr, lock, 200)) for _ in range(3)]
            for p in ps: p.start()
            for p in ps: p.join()
            print(arr[:], len(arr), arr[-1])
            try: arr[4]
            except IndexError as e: print("IndexError", e)
            print(lock.acquire(False), lock.acquire(timeout=0.05))
            lock.release()
            try: lock.release()
            except ValueError as e: print("ValueError", e)
            """)
        var swift: [String] = []
        let queue = try multiprocessing.Queue<Int>()
        let producer = multiprocessing.Process(
            target: MultiprocessingFunctions.produce, args: .init(queue: queue, count: 5))
        try producer.start()
        swift.append("\(try (0..<5).map { _ in try queue.get(timeout: 10) })")
        try producer.join()
        swift.append("\(try producer.exitcode ?? -99)")
        do { _ = try queue.get(timeout: 0.05) } catch { swift.append(pythonExceptionName(of: error)) }

        let (mine, theirs): (multiprocessing.Connection<String>, multiprocessing.Connection<String>) =
            try multiprocessing.Pipe()
        let talker = multiprocessing.Process(target: MultiprocessingFunctions.talk, args: theirs, name: "talker")
        try talker.start()
        swift.append(try mine.recv())
        try mine.send("ab")
        swift.append(try mine.recv())
        try talker.join()
        theirs.close()
        swift.append(pythonBool(try mine.poll(1)))
        do { _ = try mine.recv() } catch let error as BaseException { swift.append(error.pythonName) }

        let counts = try multiprocessing.Array<Int32>(count: 4)
        let lock = try multiprocessing.Lock()
        let bumpers = (0..<3).map { _ in
            multiprocessing.Process(
                target: MultiprocessingFunctions.bump, args: .init(counts: counts, lock: lock, times: 200))
        }
        for bumper in bumpers { try bumper.start() }
        for bumper in bumpers { try bumper.join() }
        swift.append("\(try counts.toArray()) \(counts.count) \(try counts[-1])")
        do { _ = try counts[4] } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        swift.append("\(pythonBool(try lock.acquire(block: false))) \(pythonBool(try lock.acquire(timeout: 0.05)))")
        try lock.release()
        do { try lock.release() } catch let error as BaseException {
            swift.append("\(error.pythonName) \(error.pythonMessage)")
        }
        XCTAssertEqual(swift, python)
    }

    private func pythonBool(_ value: Bool) -> String { value ? "True" : "False" }
}
