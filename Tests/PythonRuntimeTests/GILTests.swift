import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import Synchronization
import XCTest

/// The per-cell GIL behind the ports: one thread at a time per interpreter, handed over at
/// the switch interval, released by blocking calls, and one GIL per interpreter. Nothing
/// here bounds wall time from above; waits that would hang without the behaviour give up
/// after `patience` and fail.
final class GILTests: XCTestCase {
    static var patience: DispatchTime { .now() + 30 }

    /// A thread holding one cell's GIL waits (without releasing it) for a thread of another
    /// cell to get inside its own interpreter: with a single GIL that would never happen.
    func testTwoInterpretersDoNotSerialiseEachOther() {
        let (first, second) = (PyInterpreter(), PyInterpreter())
        let secondInside = DispatchSemaphore(value: 0)
        let sawIt = Shared(0)
        let group = DispatchGroup()
        spawn(in: first, group) {
            XCTAssertTrue(first.holdsGIL)
            let seen = secondInside.wait(timeout: .now() + 10) == .success  // not a Python wait: GIL kept
            sawIt.set(seen ? 1 : 0)
        }
        spawn(in: second, group) {
            XCTAssertTrue(second.holdsGIL)
            XCTAssertFalse(first.holdsGIL)  // the GIL is per interpreter and per thread
            secondInside.signal()
        }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(sawIt.value, 1)
    }

    /// Joining a thread, or waiting on a pool task's result, from inside the interpreter:
    /// the thread and the task need the GIL to run, so without a release both would hang.
    func testJoinAndResultReleaseTheGIL() {
        let interpreter = PyInterpreter()
        let answers = Locked<[String]>([])
        let group = DispatchGroup()
        spawn(in: interpreter, group) {
            let thread = threading.Thread {
                answers.withLock { $0.append("thread ran holding: \(interpreter.holdsGIL)") }
            }
            thread.start()
            thread.join()
            let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
            let future = pool.submit { "task ran holding: \(interpreter.holdsGIL)" }
            answers.withLock { $0.append((try? future.result()) ?? "no result") }
            pool.shutdown(wait: true)
            answers.withLock { $0.append("back holding: \(interpreter.holdsGIL)") }
        }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(
            answers.withLock { $0 },
            [
                "thread ran holding: true", "task ran holding: true", "back holding: true",
            ])
    }

    func testReleasingGILLetsOthersRunAlongside() {
        let interpreter = PyInterpreter()
        let otherInside = DispatchSemaphore(value: 0)
        let sawIt = Shared(0)
        let group = DispatchGroup()
        spawn(in: interpreter, group) {
            releasingGIL {
                XCTAssertFalse(interpreter.holdsGIL)
                sawIt.set(otherInside.wait(timeout: .now() + 10) == .success ? 1 : 0)
            }
            XCTAssertTrue(interpreter.holdsGIL)
        }
        spawn(in: interpreter, group) { otherInside.signal() }
        XCTAssertEqual(group.wait(timeout: Self.patience), .success)
        XCTAssertEqual(sawIt.value, 1)
    }

    /// Code outside any cell (a process-pool worker process running a task) runs in the
    /// process-wide interpreter, which its pool tasks inherit like a cell's.
    func testProcessWideInterpreterIsOneAndSeparateFromCells() throws {
        XCTAssertTrue(PyInterpreter.processWide === PyInterpreter.processWide)
        XCTAssertFalse(DemoContext(seed: 1).interpreter === PyInterpreter.processWide)
        let inherited = try PyInterpreter.processWide.run {
            try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 1) { pool in
                try pool.submit {
                    PyInterpreter.current === PyInterpreter.processWide && PyInterpreter.processWide.holdsGIL
                }
                .result()
            }
        }
        XCTAssertTrue(inherited)
    }

    func testADemoRunsInsideItsCellsInterpreter() throws {
        let ctx = DemoContext(seed: 1)
        let demo = Demo(notebook: "t", name: "t", fingerprint: "0") { ctx in
            ctx.print(ctx.interpreter.holdsGIL, PyInterpreter.current === ctx.interpreter)
        }
        try demo.run(ctx)
        XCTAssertEqual(ctx.capturedStreams().map(\.text), ["True True\n"], "printed as Python prints")
        XCTAssertFalse(ctx.interpreter.holdsGIL)
        XCTAssertNil(PyInterpreter.current)
    }
}
