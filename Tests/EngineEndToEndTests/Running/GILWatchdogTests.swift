import Dispatch
import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// A port that blocks in a hand-written wait without releasing its GIL, while another of its
/// threads waits for that GIL, is failed by name (the holder, what it does, the fix) instead
/// of hanging the run; the same wait inside `releasingGIL { }` runs to the end.
final class GILWatchdogTests: XCTestCase {
    func testAWaitThatKeepsTheGILFailsTheCellByName() throws {
        let source = "stuck()"
        let never = DispatchSemaphore(value: 0)
        defer { never.signal() }  // lets the abandoned port finish once the test is done
        let registry = DemoRegistry([
            Fixture.demo(source, name: "stuck") { ctx in
                // `start()` returns once the thread holds the GIL (as CPython's does); its sleep
                // hands the GIL back, and when it wakes it waits for the GIL, which this
                // thread keeps:
                let other = threading.Thread {
                    time.sleep(0.1)
                    ctx.print("the other thread ran")
                }
                other.start()
                never.wait()  // a plain semaphore wait, not releasing the GIL
                other.join()
            }
        ])
        var options = EngineOptions(jobs: 1)
        options.gilWatchdog = 0.5
        let started = Date()
        let result = Engine.run(
            [try Fixture.plan(Fixture.notebook([Fixture.codeCell(source)]), registry)], options: options)[
                0]
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the run ended instead of hanging")
        let failure = try XCTUnwrap(result.failures.first)
        guard case .gilHeld(let stall) = failure.failure else { return XCTFail("not a GIL stall: \(failure)") }
        XCTAssertTrue(stall.contains("has held the GIL for "), stall)
        XCTAssertTrue(stall.contains("while 1 thread waits for it"), stall)
        XCTAssertTrue(stall.contains("blocked"), "the holder sleeps in the kernel: \(stall)")
        XCTAssertTrue(stall.contains("releasingGIL { }"), stall)
        XCTAssertTrue(failure.description.contains("(stuck): thread '"), failure.description)
        let outputs = result.notebook.cells[0].outputs ?? []
        XCTAssertEqual(outputs.last?.fields["ename"], .string("RuntimeError"))
        XCTAssertTrue(Fixture.streamLines(result.notebook.cells[0]).isEmpty, "the other thread never ran")
    }

    func testTheSameWaitInsideReleasingGILRunsToTheEnd() throws {
        let source = "released()"
        let registry = DemoRegistry([
            Fixture.demo(source, name: "released") { ctx in
                let done = DispatchSemaphore(value: 0)
                let other = threading.Thread {
                    time.sleep(0.1)  // it needs the GIL again while the cell's thread waits below
                    ctx.print("the other thread ran")
                    done.signal()
                }
                other.start()
                releasingGIL { done.wait() }
                other.join()
                ctx.print("joined")
            }
        ])
        var options = EngineOptions(jobs: 1)
        options.gilWatchdog = 0.5
        let result = Engine.run(
            [try Fixture.plan(Fixture.notebook([Fixture.codeCell(source)]), registry)], options: options)[
                0]
        XCTAssertTrue(result.failures.isEmpty, "\(result.failures)")
        XCTAssertEqual(Fixture.streamLines(result.notebook.cells[0]), ["the other thread ran", "joined"])
    }
}
