import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `queue`'s queues against the real CPython.
final class QueueTests: XCTestCase {
    /// Producer and consumers: every item arrives once, FIFO per producer, `join` waits for
    /// every `task_done`; all waits (full queue, empty queue, join) are on threads of one
    /// interpreter, so each must release the GIL for the others to go on.
    func testProducerConsumersAndJoinReleaseTheGIL() {
        let interpreter = PyInterpreter()
        runInInterpreter(interpreter) {
            let q = queue.Queue<Int>(maxsize: 3)
            let got = Locked<[Int]>([])
            let consumers = (0..<3).map { _ in
                threading.Thread(daemon: true) {
                    while true {
                        guard let item = try? q.get() else { return }
                        if item < 0 {
                            try? q.taskDone()
                            return
                        }
                        got.withLock { $0.append(item) }
                        try? q.taskDone()
                    }
                }
            }
            for c in consumers { c.start() }
            for i in 0..<200 { try q.put(i) }
            q.join()
            XCTAssertEqual(got.withLock { $0 }.sorted(), Array(0..<200))
            for _ in consumers { try q.put(-1) }
            for c in consumers { c.join() }
            XCTAssertTrue(interpreter.holdsGIL)
        }
    }
}
