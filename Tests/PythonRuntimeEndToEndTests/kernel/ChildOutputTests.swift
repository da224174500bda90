import Foundation
import FuturesWorkerFixture
import Processes
import PythonRuntime
import TestKit
import XCTest

/// What a `Process` or a pool worker writes on its fds 1 and 2 reaches the cell running at
/// that moment, as ipykernel's fd capture gives it: checked against the real kernel.
final class ChildOutputTests: XCTestCase {
    override func setUpWithError() throws {
        let fixture = try XCTUnwrap(
            siblingExecutable(named: "FuturesWorkerFixture"), "FuturesWorkerFixture not built (swift build)")
        ProcessWorker.defaultExecutable = fixture
    }

    func testAChildsOutputReachesTheRunningCell() throws {
        try XCTSkipUnless(KernelReference.isAvailable, "needs nbclient and ipykernel (make pyenv)")
        let cells = [
            """
            import multiprocessing as mp, sys
            def say(x):
                print(f'child {x}', flush=True)
                print(f'child err {x}', file=sys.stderr, flush=True)
            p = mp.Process(target=say, args=(1,))
            p.start(); p.join()
            print('parent')
            """,
            "with mp.Pool(2) as pool:\n    pool.map(say, [2])\nprint('pool done')",
        ]
        let kernel = try KernelReference.run(cells)
        let ctx = DemoContext(seed: 1, kernel: .ipykernel7)
        var seen: [(stdout: [String], stderr: [String])] = []
        for (index, source) in cells.enumerated() {
            ctx.beginCell(seed: 1)
            ctx.interpreter.enterCell(source: source)
            try ctx.interpreter.run {
                if index == 0 {
                    let process = multiprocessing.Process(target: MultiprocessingFunctions.say, args: 1)
                    try process.start()
                    try process.join()
                    ctx.print("parent")
                } else {
                    try multiprocessing.Pool.with(processes: 2) { pool in
                        _ = try pool.map(MultiprocessingFunctions.say, [2])
                    }
                    ctx.print("pool done")
                }
            }
            ctx.interpreter.finishCell()
            var stdout = ""
            var stderr = ""
            for case .stream(let name, let text) in ctx.endCell() {
                if name == .stdout { stdout += text } else { stderr += text }
            }
            seen.append(
                (stdout.split(separator: "\n").map(String.init), stderr.split(separator: "\n").map(String.init)))
        }
        XCTAssertEqual(seen.map(\.stdout), kernel.map(\.stdout))
        XCTAssertEqual(seen.map(\.stderr), kernel.map(\.stderr))
    }
}
