import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// asyncio's cancellation, scenario by scenario against CPython 3.11 (issue 23, item 5):
/// each test's script is the reference, its closure the same scenario on the look-alike.
final class AsyncIOCancellationTests: XCTestCase {
    func testSleepZeroYieldsExactlyOneLoopPass() throws {
        let script = """
            import asyncio
            async def ticker(name, n):
                for i in range(n):
                    print(name, i)
                    await asyncio.sleep(0)
            async def main():
                a = asyncio.create_task(ticker("A", 3))
                b = asyncio.create_task(ticker("B", 2))
                print("main before")
                await asyncio.sleep(0)
                print("main after one pass")
                await asyncio.sleep(0)
                print("main after two passes")
                await a
                await b
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                @Sendable func ticker(_ name: String, _ n: Int) async throws {
                    for i in 0..<n {
                        out.print(name, i)
                        try await asyncio.sleep(0)
                    }
                }
                let a = asyncio.createTask { try await ticker("A", 3) }
                let b = asyncio.createTask { try await ticker("B", 2) }
                out.print("main before")
                try await asyncio.sleep(0)
                out.print("main after one pass")
                try await asyncio.sleep(0)
                out.print("main after two passes")
                try await a.value
                try await b.value
            }
        }
    }

    func testCancellingDuringSleepZeroOrBeforeTheStartRaisesAtTheNextStep() throws {
        let script = """
            import asyncio
            async def spinner():
                try:
                    while True:
                        await asyncio.sleep(0)
                except asyncio.CancelledError as e:
                    print("spinner cancelled", e.args)
                    raise
            async def never():
                print("never runs")
            async def main():
                s = asyncio.create_task(spinner())
                await asyncio.sleep(0)
                await asyncio.sleep(0)
                s.cancel("stop spinning")
                try:
                    await s
                except asyncio.CancelledError as e:
                    print("main saw", type(e).__name__, e.args)
                n = asyncio.create_task(never())
                print("cancel before start", n.cancel())
                try:
                    await n
                except asyncio.CancelledError:
                    print("never was cancelled", n.cancelled())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let spinner = asyncio.createTask {
                    do {
                        while true { try await asyncio.sleep(0) }
                    } catch let error as asyncio.CancelledError {
                        out.print("spinner cancelled", pyArgs(error))
                        throw error
                    }
                }
                try await asyncio.sleep(0)
                try await asyncio.sleep(0)
                spinner.cancel("stop spinning")
                do { try await spinner.value } catch let error as asyncio.CancelledError {
                    out.print("main saw", pyName(error), pyArgs(error))
                }
                let never = asyncio.createTask { out.print("never runs") }
                out.print("cancel before start", pyBool(never.cancel()))
                do { try await never.value } catch is asyncio.CancelledError {
                    out.print("never was cancelled", pyBool(never.cancelled))
                }
            }
        }
    }
}
