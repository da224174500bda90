import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `queue`'s queues against the real CPython.
final class QueueTests: XCTestCase {
    func testQueueAsInCPython() throws {
        let python = try pythonPrints(
            """
            import queue
            q = queue.Queue(maxsize=2)
            print(q.maxsize, q.qsize(), q.empty(), q.full())
            q.put(1); q.put(2)
            print(q.qsize(), q.empty(), q.full())
            for call in (lambda: q.put(3, block=False), lambda: q.put(3, timeout=0.01), lambda: q.put_nowait(3),
                         lambda: q.put(3, timeout=-1)):
                try:
                    call()
                except Exception as e:
                    print(type(e).__name__, repr(str(e)))
            print(q.get(), q.get())
            for call in (lambda: q.get(block=False), lambda: q.get(timeout=0.01), lambda: q.get_nowait(),
                         lambda: q.get(timeout=-1)):
                try:
                    call()
                except Exception as e:
                    print(type(e).__name__, repr(str(e)))
            q.task_done(); q.task_done()
            try:
                q.task_done()
            except Exception as e:
                print(type(e).__name__, repr(str(e)))
            q.join()
            u = queue.Queue()
            u.put("a", timeout=-1)
            print(u.full(), u.get(timeout=5))
            """)
        let printed = Printed()
        runInInterpreter {
            let q = queue.Queue<Int>(maxsize: 2)
            printed(q.maxsize, q.qsize, py(q.empty()), py(q.full()))
            try q.put(1)
            try q.put(2)
            printed(q.qsize, py(q.empty()), py(q.full()))
            for call in [
                { try q.put(3, block: false) }, { try q.put(3, timeout: 0.01) }, { try q.putNowait(3) },
                {
                    try q.put(3, timeout: -1)
                },
            ] {
                printed(reprRaised(call))
            }
            printed(try q.get(), try q.get())
            for call in [
                { _ = try q.get(block: false) }, { _ = try q.get(timeout: 0.01) }, { _ = try q.getNowait() },
                {
                    _ = try q.get(timeout: -1)
                },
            ] {
                printed(reprRaised(call))
            }
            try q.taskDone()
            try q.taskDone()
            printed(reprRaised { try q.taskDone() })
            q.join()
            let u = queue.Queue<String>()
            try u.put("a", timeout: -1)
            printed(py(u.full()), try u.get(timeout: 5))
        }
        XCTAssertEqual(printed.all, python)
    }

    func testPutWaitsForRoomUntilAGet() {
        runInInterpreter {
            let q = queue.Queue<String>(maxsize: 1)
            try q.put("first")
            let t = threading.Thread {
                time.sleep(0.02)
                _ = try? q.get()
            }
            t.start()
            try q.put("second", timeout: 30)
            XCTAssertEqual(try q.get(block: false), "second")
            t.join()
        }
    }
}

/// `LifoQueue`, `PriorityQueue` (with ties broken as `heapq` breaks them) and `SimpleQueue`.
final class QueueKindsTests: XCTestCase {
    /// A job ordered by priority only, as a `@dataclass(order=True)` with a `compare=False` label.
    struct Job: Comparable, Sendable {
        let priority: Int
        let label: String
        static func < (a: Job, b: Job) -> Bool { a.priority < b.priority }
        static func == (a: Job, b: Job) -> Bool { a.priority == b.priority }
    }

    func testLifoPriorityAndSimpleQueuesAsInCPython() throws {
        let python = try pythonPrints(
            """
            import queue
            from dataclasses import dataclass, field
            @dataclass(order=True)
            class Job:
                priority: int
                label: str = field(compare=False)
            l = queue.LifoQueue()
            for i in range(4): l.put(i)
            print([l.get() for _ in range(4)])
            p = queue.PriorityQueue()
            jobs = [(3, "a"), (1, "b"), (2, "c"), (1, "d"), (3, "e"), (0, "f"), (1, "g"), (2, "h"), (1, "i"), (0, "j")]
            for prio, label in jobs: p.put(Job(prio, label))
            print([(j.priority, j.label) for j in (p.get() for _ in range(len(jobs)))])
            s = queue.SimpleQueue()
            s.put("x"); s.put_nowait("y")
            print(s.qsize(), s.empty(), s.get(), s.get_nowait(), s.empty())
            for call in (lambda: s.get(False), lambda: s.get(timeout=0.01), lambda: s.get(timeout=-1)):
                try:
                    call()
                except Exception as e:
                    print(type(e).__name__, repr(str(e)))
            """)
        let printed = Printed()
        runInInterpreter {
            let l = queue.LifoQueue<Int>()
            for i in 0..<4 { try l.put(i) }
            printed("\(try (0..<4).map { _ in try l.get() })")
            let p = queue.PriorityQueue<Job>()
            let jobs = [
                (3, "a"), (1, "b"), (2, "c"), (1, "d"), (3, "e"), (0, "f"), (1, "g"), (2, "h"), (1, "i"), (0, "j"),
            ]
            for (priority, label) in jobs { try p.put(Job(priority: priority, label: label)) }
            let order = try jobs.map { _ in try p.get() }.map { "(\($0.priority), '\($0.label)')" }
            printed("[" + order.joined(separator: ", ") + "]")
            let s = queue.SimpleQueue<String>()
            s.put("x")
            s.putNowait("y")
            printed(s.qsize, py(s.empty()), try s.get(), try s.getNowait(), py(s.empty()))
            for call in [
                { _ = try s.get(block: false) }, { _ = try s.get(timeout: 0.01) }, { _ = try s.get(timeout: -1) },
            ] {
                printed(reprRaised(call))
            }
        }
        XCTAssertEqual(printed.all, python)
    }

    /// A getter blocked on an empty `SimpleQueue` lets a thread of its interpreter put.
    func testSimpleQueueGetReleasesTheGIL() {
        runInInterpreter {
            let s = queue.SimpleQueue<Int>()
            let t = threading.Thread {
                time.sleep(0.01)
                s.put(7)
            }
            t.start()
            XCTAssertEqual(try s.get(timeout: 30), 7)
            t.join()
        }
    }
}
