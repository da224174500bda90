import Dispatch
import Foundation
import FuturesTestKit
import TestKit
import XCTest

@testable import Futures

/// `concurrent.futures` against the real CPython (issue 25): each script is the reference,
/// and the same scenario on `concurrent.futures.Future`, `concurrent.futures.ThreadPoolExecutor` and `wait` must print the same.
final class FutureReferenceTests: XCTestCase {
    private func assertSameAsPython(
        _ script: String, file: StaticString = #filePath, line: UInt = #line, _ port: (Lines) throws -> Void
    ) throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        let expected = try PythonReference.lines(script)
        let lines = Lines()
        try port(lines)
        XCTAssertEqual(lines.printed, expected, file: file, line: line)
    }

    func testCancelCancelledRunningDoneAsCPythons() throws {
        let script = """
            import threading
            from concurrent.futures import ThreadPoolExecutor, CancelledError
            gate, started = threading.Event(), threading.Event()
            def blocked():
                started.set()
                gate.wait()
                return "blocked"
            def state(f):
                return f"running={f.running()} done={f.done()} cancelled={f.cancelled()}"
            with ThreadPoolExecutor(max_workers=1) as pool:
                b = pool.submit(blocked)
                started.wait()
                q = pool.submit(lambda: "queued")
                print("running:", state(b))
                print("queued:", state(q))
                print("cancel running", b.cancel(), "cancel queued", q.cancel(), "again", q.cancel())
                print("queued:", state(q))
                gate.set()
                print("result", b.result(), "then:", state(b), "cancel finished", b.cancel())
            for ask in (q.result, q.exception):
                try:
                    ask()
                except CancelledError as e:
                    print(type(e).__name__, repr(str(e)))
            print("exception of a success", b.exception())
            """
        try assertSameAsPython(script) { out in
            @Sendable func state<T>(_ f: concurrent.futures.Future<T>) -> String {
                "running=\(py(f.running)) done=\(py(f.done)) cancelled=\(py(f.cancelled))"
            }
            let gate = Gate()
            let started = DispatchSemaphore(value: 0)
            let (b, q) = concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 1) { pool in
                let b = pool.submit {
                    started.signal()
                    gate.pass()
                    return "blocked"
                }
                started.wait()
                let q = pool.submit { "queued" }
                out.print("running:", state(b))
                out.print("queued:", state(q))
                out.print("cancel running", py(b.cancel()), "cancel queued", py(q.cancel()), "again", py(q.cancel()))
                out.print("queued:", state(q))
                gate.open()
                let result = (try? b.result()) ?? "?"
                out.print("result", result, "then:", state(b), "cancel finished", py(b.cancel()))
                return (b, q)
            }
            for ask in [{ _ = try q.result() }, { _ = try q.exception() }] {
                do { try ask() } catch {
                    out.print(pythonExceptionName(of: error), "'\(pythonExceptionMessage(of: error))'")
                }
            }
            out.print("exception of a success", try b.exception().map { "\($0)" } ?? "None")
        }
    }

    func testWaitReturnWhenAsCPythons() throws {
        let script = """
            import threading, time
            from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED
            gate = threading.Event()
            names = {}
            def show(label, res):
                done, not_done = res
                print(label, sorted(names[f] for f in done), sorted(names[f] for f in not_done))
            def failing():
                time.sleep(0.05)
                raise ValueError("bad")
            def quick():
                time.sleep(0.05)
                return 1
            with ThreadPoolExecutor(max_workers=4) as pool:
                blocked = pool.submit(gate.wait)
                names[blocked] = "blocked"
                q = pool.submit(quick); names[q] = "quick"
                show("FIRST_COMPLETED", wait([blocked, q], return_when=FIRST_COMPLETED))
                bad = pool.submit(failing); names[bad] = "failing"
                show("FIRST_EXCEPTION", wait([blocked, bad], return_when=FIRST_EXCEPTION))
                show("FIRST_EXCEPTION, none fail", wait([q], return_when=FIRST_EXCEPTION))
                show("ALL_COMPLETED, timeout", wait([blocked, q], timeout=0.05))
                gate.set()
                show("ALL_COMPLETED", wait([blocked, q, bad]))
            with ThreadPoolExecutor(max_workers=1) as pool:
                gate.clear()
                first = pool.submit(gate.wait)
                queued = pool.submit(quick); names[queued] = "queued"
                queued.cancel()
                gate.set()
                pool.submit(lambda: None).result()  # the worker has passed the cancelled one
                gate2 = threading.Event()
                blocked2 = pool.submit(gate2.wait); names[blocked2] = "blocked"
                show("cancelled counts as completed", wait([blocked2, queued], return_when=FIRST_COMPLETED))
                show("but not as an exception", wait([blocked2, queued], timeout=0.05, return_when=FIRST_EXCEPTION))
                gate2.set()
            """
        try assertSameAsPython(script) { out in
            let gate = Gate()
            @Sendable func show(
                _ label: String,
                _ result: (done: [concurrent.futures.Future<Int>], notDone: [concurrent.futures.Future<Int>]),
                _ names: [concurrent.futures.Future<Int>: String]
            ) {
                func list(_ futures: [concurrent.futures.Future<Int>]) -> String {
                    "[" + futures.compactMap { names[$0] }.sorted().map { "'\($0)'" }.joined(separator: ", ") + "]"
                }
                out.print(label, list(result.done), list(result.notDone))
            }
            @Sendable func quick() -> Int {
                sleep(seconds: 0.05)
                return 1
            }
            concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
                let blocked = pool.submit {
                    gate.pass()
                    return 0
                }
                let q = pool.submit { quick() }
                var names = [blocked: "blocked", q: "quick"]
                show("FIRST_COMPLETED", concurrent.futures.wait([blocked, q], returnWhen: .firstCompleted), names)
                let failing: concurrent.futures.Future<Int> = pool.submit {
                    sleep(seconds: 0.05)
                    throw TestError(code: 1)
                }
                names[failing] = "failing"
                show(
                    "FIRST_EXCEPTION", concurrent.futures.wait([blocked, failing], returnWhen: .firstException), names)
                show("FIRST_EXCEPTION, none fail", concurrent.futures.wait([q], returnWhen: .firstException), names)
                show("ALL_COMPLETED, timeout", concurrent.futures.wait([blocked, q], timeout: 0.05), names)
                gate.open()
                // Bounded so that a lost wake-up fails the test instead of hanging the suite
                // (`blocked` finishing while `wait` looked at the futures was once lost; see WaitTests).
                show("ALL_COMPLETED", concurrent.futures.wait([blocked, q, failing], timeout: 30), names)
            }
            concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 1) { pool in
                let first = Gate()
                pool.submit { first.pass() }
                let queued = pool.submit { quick() }
                queued.cancel()
                first.open()
                _ = try? pool.submit {}.result()  // the worker has passed the cancelled one
                let second = Gate()
                let blocked = pool.submit {
                    second.pass()
                    return 0
                }
                let names = [blocked: "blocked", queued: "queued"]
                show(
                    "cancelled counts as completed",
                    concurrent.futures.wait([blocked, queued], timeout: 30, returnWhen: .firstCompleted), names
                )
                show(
                    "but not as an exception",
                    concurrent.futures.wait([blocked, queued], timeout: 0.05, returnWhen: .firstException), names)
                second.open()
            }
        }
    }
}

/// Python's `str(bool)`.
private func py(_ value: Bool) -> String { value ? "True" : "False" }

/// What a scenario prints, from any thread.
final class Lines: Sendable {
    private let lines = Locked<[String]>([])

    func print(_ items: Any...) {
        let line = items.map { String(describing: $0) }.joined(separator: " ")
        lines.withLock { $0.append(line) }
    }

    var printed: [String] { lines.withLock { $0 } }
}
