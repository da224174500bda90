import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// `gather(return_exceptions=True)`, `asyncio.wait` and `as_completed(timeout=)`: each
/// scenario runs in the real python3 and on the look-alike, and both transcripts must be
/// equal. Sleeps differ by tenths of a second, so a loaded machine keeps their order.
final class AsyncIOWaitTests: XCTestCase {
    static let helpers = """
        import asyncio
        async def ok(n, d):
            await asyncio.sleep(d)
            print("ok", n)
            return n * 10
        async def bad(d):
            await asyncio.sleep(d)
            raise ValueError("bad")
        async def cancelled():
            asyncio.current_task().cancel("stop")
            await asyncio.sleep(0)
        def show(r):
            return f"{type(r).__name__} {r}"

        """

    static func ok(_ out: Transcript, _ n: Int, _ delay: Double) -> asyncio.Coroutine<Int> {
        {
            try await asyncio.sleep(delay)
            out.print("ok", n)
            return n * 10
        }
    }

    static func bad(_ delay: Double) -> asyncio.Coroutine<Int> {
        {
            try await asyncio.sleep(delay)
            throw builtins.ValueError("bad")
        }
    }

    static let cancelled: asyncio.Coroutine<Int> = {
        asyncio.currentTask().cancel("stop")
        try await asyncio.sleep(0)
        return 0
    }

    static func show(_ outcome: Result<Int, any Error>) -> String {
        switch outcome {
        case .success(let value): "int \(value)"
        case .failure(let error): "\(pyName(error)) \(pythonExceptionMessage(of: error))"
        }
    }

    func testGatherReturnsExceptionsInPlaceAndACancelledOuterRaises() throws {
        let script =
            Self.helpers + """
                async def main():
                    results = await asyncio.gather(ok(1, 0.3), bad(0.1), cancelled(), ok(2, 0), return_exceptions=True)
                    print([show(r) for r in results])
                    print(await asyncio.gather(return_exceptions=True))
                    async def gathering():
                        return await asyncio.gather(ok(3, 0.6), bad(0.01), return_exceptions=True)
                    t = asyncio.create_task(gathering())
                    await asyncio.sleep(0.2)
                    t.cancel()
                    try:
                        await t
                    except asyncio.CancelledError:
                        print("outer cancelled")
                asyncio.run(main())
                """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let results = try await asyncio.gather(
                    [Self.ok(out, 1, 0.3), Self.bad(0.1), Self.cancelled, Self.ok(out, 2, 0)], returnExceptions: true)
                out.print("[" + results.map { "'\(Self.show($0))'" }.joined(separator: ", ") + "]")
                out.print(try await asyncio.gather([asyncio.Coroutine<Int>](), returnExceptions: true))
                let t = asyncio.createTask {
                    try await asyncio.gather([Self.ok(out, 3, 0.6), Self.bad(0.01)], returnExceptions: true)
                }
                try await asyncio.sleep(0.2)
                t.cancel()
                do { _ = try await t.value } catch is asyncio.CancelledError { out.print("outer cancelled") }
            }
        }
    }

    func testWaitReturnsWhenAskedAndOnTimeout() throws {
        let script =
            Self.helpers + """
                def names(ts):
                    return sorted(t.get_name() for t in ts)
                async def main():
                    ts = [asyncio.create_task(ok(1, 0.01)), asyncio.create_task(ok(2, 0.5))]
                    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
                    print("first completed", names(done), names(pending))
                    ts2 = [asyncio.create_task(ok(3, 0.8)), asyncio.create_task(bad(0.02)), asyncio.create_task(ok(4, 0))]
                    done, pending = await asyncio.wait(ts2, return_when=asyncio.FIRST_EXCEPTION)
                    print("first exception", names(done), names(pending))
                    done, pending = await asyncio.wait(ts + ts2, timeout=0.1)
                    print("timeout", names(done), names(pending))
                    done, pending = await asyncio.wait(ts + ts2)
                    print("all", names(done), names(pending), [show(t.exception()) for t in ts2 if t.exception()])
                    done, pending = await asyncio.wait([ts[0]], return_when=asyncio.FIRST_EXCEPTION)
                    print("already done", names(done), names(pending))
                    try:
                        await asyncio.wait([])
                    except ValueError as e:
                        print("ValueError", e)
                asyncio.run(main())
                """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                func names(_ tasks: [asyncio.Task<Int>]) -> String {
                    "[" + tasks.map { "'\($0.name)'" }.sorted().joined(separator: ", ") + "]"
                }
                let ts = [asyncio.createTask(Self.ok(out, 1, 0.01)), asyncio.createTask(Self.ok(out, 2, 0.5))]
                var (done, pending) = try await asyncio.wait(ts, returnWhen: .firstCompleted)
                out.print("first completed", names(done), names(pending))
                let ts2 = [
                    asyncio.createTask(Self.ok(out, 3, 0.8)), asyncio.createTask(Self.bad(0.02)),
                    asyncio.createTask(Self.ok(out, 4, 0)),
                ]
                (done, pending) = try await asyncio.wait(ts2, returnWhen: .firstException)
                out.print("first exception", names(done), names(pending))
                (done, pending) = try await asyncio.wait(ts + ts2, timeout: 0.1)
                out.print("timeout", names(done), names(pending))
                (done, pending) = try await asyncio.wait(ts + ts2)
                let failures = try ts2.compactMap { try $0.exception() }.map { "'\(Self.show(.failure($0)))'" }
                out.print("all", names(done), names(pending), "[" + failures.joined(separator: ", ") + "]")
                (done, pending) = try await asyncio.wait([ts[0]], returnWhen: .firstException)
                out.print("already done", names(done), names(pending))
                do { _ = try await asyncio.wait([asyncio.Task<Int>]()) } catch {
                    out.print(pyName(error), pythonExceptionMessage(of: error))
                }
            }
        }
    }

    func testAsCompletedRaisesTimeoutErrorForWhatIsLeft() throws {
        let script =
            Self.helpers + """
                async def main():
                    for f in asyncio.as_completed([ok(1, 0.01), ok(2, 0.9), ok(3, 0.1)], timeout=0.4):
                        try:
                            print("got", await f)
                        except TimeoutError as e:
                            print("timeout", type(e).__name__)
                    for f in asyncio.as_completed([ok(4, 0.05), bad(0.01)], timeout=5):
                        try:
                            print("got", await f)
                        except ValueError as e:
                            print("error", e)
                asyncio.run(main())
                """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                for await outcome in asyncio.asCompleted(
                    [Self.ok(out, 1, 0.01), Self.ok(out, 2, 0.9), Self.ok(out, 3, 0.1)], timeout: 0.4)
                {
                    do { out.print("got", try outcome.get()) } catch { out.print("timeout", pyName(error)) }
                }
                for await outcome in asyncio.asCompleted([Self.ok(out, 4, 0.05), Self.bad(0.01)], timeout: 5) {
                    do { out.print("got", try outcome.get()) } catch {
                        out.print("error", pythonExceptionMessage(of: error))
                    }
                }
            }
        }
    }
}
