import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// asyncio's cancellation, scenario by scenario against CPython 3.11 (issue 23, item 5):
/// each test's script is the reference, its closure the same scenario on the look-alike.
final class AsyncIOCancellationTests: XCTestCase {
    func testCancelledErrorIsRaisedOnceAndCleanupCanStillAwait() throws {
        let script = """
            import asyncio
            async def worker():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("worker cancelled")
                    await asyncio.sleep(0.01)
                    print("cleanup slept")
                    await asyncio.sleep(0)
                    print("cleanup yielded")
                    raise
            async def main():
                task = asyncio.create_task(worker())
                await asyncio.sleep(0.02)
                print("cancel returned", task.cancel())
                try:
                    await task
                except asyncio.CancelledError:
                    print("main saw CancelledError")
                print("cancelled", task.cancelled(), "done", task.done())
                print("cancel again", task.cancel())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let task = asyncio.createTask {
                    do {
                        try await asyncio.sleep(10)
                    } catch let error as asyncio.CancelledError {
                        out.print("worker cancelled")
                        try await asyncio.sleep(0.01)
                        out.print("cleanup slept")
                        try await asyncio.sleep(0)
                        out.print("cleanup yielded")
                        throw error
                    }
                }
                try await asyncio.sleep(0.02)
                out.print("cancel returned", pyBool(task.cancel()))
                do { try await task.value } catch is asyncio.CancelledError { out.print("main saw CancelledError") }
                out.print("cancelled", pyBool(task.cancelled), "done", pyBool(task.done))
                out.print("cancel again", pyBool(task.cancel()))
            }
        }
    }

    func testCancellingATaskThatAwaitsAnotherCancelsThatOneToo() throws {
        let script = """
            import asyncio
            async def inner():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("inner cancelled")
                    raise
            async def outer(t):
                try:
                    await t
                except asyncio.CancelledError:
                    print("outer cancelled")
                    raise
            async def main():
                i = asyncio.create_task(inner())
                o = asyncio.create_task(outer(i))
                await asyncio.sleep(0.02)
                o.cancel()
                try:
                    await o
                except asyncio.CancelledError:
                    print("main saw CancelledError")
                print("inner cancelled()", i.cancelled(), "outer cancelled()", o.cancelled())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let inner = asyncio.createTask {
                    do { try await asyncio.sleep(10) } catch let error as asyncio.CancelledError {
                        out.print("inner cancelled")
                        throw error
                    }
                }
                let outer = asyncio.createTask {
                    do { try await inner.value } catch let error as asyncio.CancelledError {
                        out.print("outer cancelled")
                        throw error
                    }
                }
                try await asyncio.sleep(0.02)
                outer.cancel()
                do { try await outer.value } catch is asyncio.CancelledError { out.print("main saw CancelledError") }
                out.print("inner cancelled()", pyBool(inner.cancelled), "outer cancelled()", pyBool(outer.cancelled))
            }
        }
    }

    func testAnInnerTaskThatSwallowsTheCancellationKeepsTheOuterOneGoing() throws {
        let script = """
            import asyncio
            async def inner():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("inner swallowed it")
                return 42
            async def outer(t):
                r = await t
                print("outer got", r)
                await asyncio.sleep(0.01)
                print("outer went on")
                return r
            async def main():
                i = asyncio.create_task(inner())
                o = asyncio.create_task(outer(i))
                await asyncio.sleep(0.02)
                print("cancel", o.cancel(), "cancelling", o.cancelling())
                print("result", await o, "cancelled", o.cancelled())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let inner = asyncio.createTask { () -> Int in
                    do { try await asyncio.sleep(10) } catch is asyncio.CancelledError {
                        out.print("inner swallowed it")
                    }
                    return 42
                }
                let outer = asyncio.createTask { () -> Int in
                    let value = try await inner.value
                    out.print("outer got", value)
                    try await asyncio.sleep(0.01)
                    out.print("outer went on")
                    return value
                }
                try await asyncio.sleep(0.02)
                out.print("cancel", pyBool(outer.cancel()), "cancelling", outer.cancelling())
                out.print("result", try await outer.value, "cancelled", pyBool(outer.cancelled))
            }
        }
    }

    func testWaitForReturnsTheInnerResultIfTheCancellationWasSwallowed() throws {
        let script = """
            import asyncio, time
            async def inner():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("inner swallowed")
                    return "swallowed"
            async def slow():
                await asyncio.sleep(10)
                return "never"
            async def main():
                print("wait_for returned", await asyncio.wait_for(inner(), 0.05))
                start = time.monotonic()
                try:
                    await asyncio.wait_for(slow(), 0.2)
                except TimeoutError as e:
                    print(type(e).__name__, repr(str(e)), round(time.monotonic() - start, 1))
                print("in time", await asyncio.wait_for(asyncio.sleep(0.01, "quick"), 1))
                try:
                    await asyncio.wait_for(slow(), 0)
                except TimeoutError:
                    print("timeout 0 raised TimeoutError")
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let swallowed = try await asyncio.waitFor(0.05) { () -> String in
                    do { try await asyncio.sleep(10) } catch is asyncio.CancelledError { out.print("inner swallowed") }
                    return "swallowed"
                }
                out.print("wait_for returned", swallowed)
                let start = asyncio.getRunningLoop().time()
                do {
                    _ = try await asyncio.waitFor(0.2) { () -> String in
                        try await asyncio.sleep(10)
                        return "never"
                    }
                } catch let error as builtins.TimeoutError {
                    let elapsed = (asyncio.getRunningLoop().time() - start) * 10
                    out.print(pyName(error), "''", elapsed.rounded() / 10)
                }
                let quick = try await asyncio.waitFor(1) { () -> String in
                    try await asyncio.sleep(0.01)
                    return "quick"
                }
                out.print("in time", quick)
                do {
                    _ = try await asyncio.waitFor(0) { try await asyncio.sleep(10) }
                } catch is builtins.TimeoutError {
                    out.print("timeout 0 raised TimeoutError")
                }
            }
        }
    }

    func testAnUncaughtCancellationIsReportedAsCancelledError() throws {
        let script = """
            import asyncio
            async def main():
                asyncio.current_task().cancel()
                await asyncio.sleep(1)
                print("not reached")
            try:
                asyncio.run(main())
            except BaseException as e:
                print(type(e).__name__, repr(str(e)))
            """
        try assertSameAsPython(script) { out in
            do {
                try asyncio.run {
                    asyncio.currentTask().cancel()
                    try await asyncio.sleep(1)
                    out.print("not reached")
                }
            } catch {
                out.print(pyName(error), "'\(pythonExceptionMessage(of: error))'")
            }
        }
    }

    func testATaskExceptionNobodyRetrievedIsReportedAsAsyncioDoes() throws {
        let script = """
            import asyncio, sys
            sys.stderr = sys.stdout
            async def boom():
                raise ValueError("boom")
            async def main():
                print("before")
                asyncio.create_task(boom())
                await asyncio.sleep(0.05)
                print("after")
            asyncio.run(main())
            """
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        // Python adds the coroutine and a traceback, which a Swift port has not got.
        var expected: [String] = []
        var inTraceback = false
        for line in try PythonReference.lines(script) {
            if line.hasPrefix("Traceback (most recent call last):") { inTraceback = true }
            if !inTraceback {
                expected.append(
                    line.replacingOccurrences(
                        of: #" coro=<.*> exception="#, with: " exception=", options: .regularExpression))
            }
            if inTraceback, line.hasPrefix("ValueError:") { inTraceback = false }
        }
        let out = Transcript()
        let ctx = DemoContext(seed: 1) { stream, text in
            if stream == .stderr { for line in text.split(separator: "\n") { out.print(line) } }
        }
        try asyncio.run(logTo: ctx) {
            out.print("before")
            asyncio.createTask { throw builtins.ValueError("boom") }
            try await asyncio.sleep(0.05)
            out.print("after")
        }
        XCTAssertEqual(out.printed, expected)
    }

    func testARetrievedOrCancelledExceptionIsNotReported() throws {
        let reports = Locked<[String]>([])
        let ctx = DemoContext(seed: 1) { _, text in reports.withLock { $0.append(text) } }
        try asyncio.run(logTo: ctx) {
            let awaited = asyncio.createTask { throw builtins.ValueError("awaited") }
            let asked = asyncio.createTask { throw builtins.ValueError("asked") }
            let cancelledLate = asyncio.createTask { throw builtins.ValueError("cancel() after") }
            try await asyncio.sleep(0.01)
            _ = try? await awaited.value
            _ = try asked.exception()
            cancelledLate.cancel()
        }
        XCTAssertEqual(reports.withLock { $0 }, [])
    }

    func testASemaphoreBelongsToItsLoop() throws {
        let script = """
            import asyncio
            sem = asyncio.Semaphore(1)
            async def contend():
                async with sem:
                    t = asyncio.create_task(sem.acquire())
                    await asyncio.sleep(0.01)
                print("locked after", sem.locked())
                await t
                sem.release()
            asyncio.run(contend())
            print("first loop done")
            try:
                asyncio.run(contend())
            except RuntimeError as e:
                print(type(e).__name__, str(e).split("> ")[-1])
            """
        try assertSameAsPython(script) { out in
            let semaphore = asyncio.Semaphore(1)
            @Sendable func contend() async throws {
                var waiter: asyncio.Task<Void>?
                try await semaphore.withPermit {
                    waiter = asyncio.createTask { try await semaphore.acquire() }
                    try await asyncio.sleep(0.01)
                }
                out.print("locked after", pyBool(semaphore.locked))
                try await waiter?.value
                semaphore.release()
            }
            try asyncio.run { try await contend() }
            out.print("first loop done")
            do {
                try asyncio.run { try await contend() }
            } catch let error as BaseException {
                out.print(error.pythonName, error.pythonMessage.components(separatedBy: "> ").last ?? "")
            }
        }
    }
}
