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
}
