import Foundation
import Futures
import PythonRuntime
import PythonRuntimeTestKit
import TestKit
import XCTest

/// asyncio beyond the 04 notebook (issue 25): each scenario runs in the real python3 (the
/// script is the reference) and on the look-alike, and both transcripts must be equal.
final class AsyncIOLookalikeTests: XCTestCase {
    func testQueueHandsItemsOverInOrderAndJoinWaitsForTaskDone() throws {
        let script = """
            import asyncio
            async def producer(q):
                for i in range(5):
                    await q.put(i)
                    print("put", i, "size", q.qsize(), "full", q.full())
            async def consumer(q):
                while True:
                    item = await q.get()
                    print("got", item)
                    await asyncio.sleep(0.01)
                    q.task_done()
            async def main():
                q = asyncio.Queue(maxsize=2)
                c = asyncio.create_task(consumer(q))
                await producer(q)
                await q.join()
                print("joined, empty", q.empty())
                c.cancel()
                try:
                    q.get_nowait()
                except asyncio.QueueEmpty as e:
                    print(type(e).__name__)
                q2 = asyncio.Queue(1)
                q2.put_nowait("x")
                try:
                    q2.put_nowait("y")
                except asyncio.QueueFull as e:
                    print(type(e).__name__)
                try:
                    q.task_done()
                except ValueError as e:
                    print(type(e).__name__, e)
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let queue = asyncio.Queue<Int>(maxsize: 2)
                let consumer = asyncio.createTask {
                    while true {
                        let item = try await queue.get()
                        out.print("got", item)
                        try await asyncio.sleep(0.01)
                        try queue.taskDone()
                    }
                }
                for i in 0..<5 {
                    try await queue.put(i)
                    out.print("put", i, "size", queue.qsize, "full", pyBool(queue.full))
                }
                try await queue.join()
                out.print("joined, empty", pyBool(queue.empty))
                consumer.cancel()
                do { _ = try queue.getNowait() } catch { out.print(pyName(error)) }
                let small = asyncio.Queue<String>(maxsize: 1)
                try small.putNowait("x")
                do { try small.putNowait("y") } catch { out.print(pyName(error)) }
                do { try queue.taskDone() } catch { out.print(pyName(error), pythonExceptionMessage(of: error)) }
            }
        }
    }

    func testSemaphoreServesWaitersFirstInFirstOutAndSkipsACancelledOne() throws {
        let script = """
            import asyncio
            async def worker(sem, name, hold):
                async with sem:
                    print(name, "in, locked", sem.locked())
                    await asyncio.sleep(hold)
            async def main():
                sem = asyncio.Semaphore(2)
                tasks = [asyncio.create_task(worker(sem, n, 0.01 * (i + 1))) for i, n in enumerate("ABCDEF")]
                await asyncio.sleep(0)
                tasks[3].cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                print("D cancelled", tasks[3].cancelled(), "locked", sem.locked())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let semaphore = asyncio.Semaphore(2)
                let tasks = ["A", "B", "C", "D", "E", "F"].enumerated().map { i, name in
                    asyncio.createTask {
                        try await semaphore.withPermit {
                            out.print(name, "in, locked", pyBool(semaphore.locked))
                            try await asyncio.sleep(0.01 * Double(i + 1))
                        }
                    }
                }
                try await asyncio.sleep(0)
                tasks[3].cancel()
                for task in tasks { _ = try? await task.value }
                out.print("D cancelled", pyBool(tasks[3].cancelled), "locked", pyBool(semaphore.locked))
            }
        }
    }

    func testEventWakesEveryWaiterInOrder() throws {
        let script = """
            import asyncio
            async def waiter(e, name):
                print(name, "waits")
                await e.wait()
                print(name, "woke")
            async def main():
                e = asyncio.Event()
                ts = [asyncio.create_task(waiter(e, n)) for n in "ABC"]
                await asyncio.sleep(0.01)
                print("setting", e.is_set())
                e.set()
                await asyncio.gather(*ts)
                await e.wait()
                print("set wait returns at once", e.is_set())
                e.clear()
                print("cleared", e.is_set())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let event = asyncio.Event()
                let waiters: [asyncio.Coroutine<Void>] = ["A", "B", "C"].map { name in
                    {
                        out.print(name, "waits")
                        try await event.wait()
                        out.print(name, "woke")
                    }
                }
                let setter: asyncio.Coroutine<Void> = {
                    try await asyncio.sleep(0.01)
                    out.print("setting", pyBool(event.isSet))
                    event.set()
                }
                try await asyncio.gather(waiters + [setter])
                try await event.wait()
                out.print("set wait returns at once", pyBool(event.isSet))
                event.clear()
                out.print("cleared", pyBool(event.isSet))
            }
        }
    }

    func testLockIsFirstComeFirstServedAndReleasingAnUnlockedLockIsAnError() throws {
        let script = """
            import asyncio
            async def worker(lock, name):
                async with lock:
                    print(name, "has it")
                    await asyncio.sleep(0.01)
            async def main():
                lock = asyncio.Lock()
                await asyncio.gather(*(worker(lock, n) for n in "ABCD"))
                print("locked", lock.locked())
                try:
                    lock.release()
                except RuntimeError as e:
                    print(type(e).__name__, e)
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let lock = asyncio.Lock()
                try await asyncio.gather(["A", "B", "C", "D"]) { name in
                    try await lock.withLock {
                        out.print(name, "has it")
                        try await asyncio.sleep(0.01)
                    }
                }
                out.print("locked", pyBool(lock.locked))
                do { try lock.release() } catch { out.print(pyName(error), pythonExceptionMessage(of: error)) }
            }
        }
    }

    func testConditionNotifyWakesWaitersInOrder() throws {
        let script = """
            import asyncio
            async def waiter(c, name):
                async with c:
                    await c.wait()
                    print(name, "notified, holds lock", c.locked())
            async def main():
                c = asyncio.Condition()
                ts = [asyncio.create_task(waiter(c, n)) for n in "ABC"]
                await asyncio.sleep(0.01)
                async with c:
                    c.notify()
                await asyncio.sleep(0.01)
                async with c:
                    c.notify_all()
                await asyncio.gather(*ts)
                try:
                    c.notify()
                except RuntimeError as e:
                    print(type(e).__name__, e)
                try:
                    await c.wait()
                except RuntimeError as e:
                    print(type(e).__name__, e)
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let condition = asyncio.Condition()
                let tasks = ["A", "B", "C"].map { name in
                    asyncio.createTask {
                        try await condition.withLock {
                            try await condition.wait()
                            out.print(name, "notified, holds lock", pyBool(condition.locked))
                        }
                    }
                }
                try await asyncio.sleep(0.01)
                try await condition.withLock { try condition.notify() }
                try await asyncio.sleep(0.01)
                try await condition.withLock { try condition.notifyAll() }
                for task in tasks { try await task.value }
                do { try condition.notify() } catch { out.print(pyName(error), pythonExceptionMessage(of: error)) }
                do { try await condition.wait() } catch { out.print(pyName(error), pythonExceptionMessage(of: error)) }
            }
        }
    }

    func testTaskGroupCancelsTheRestOnAFailureAndRaisesAnExceptionGroup() throws {
        let script = """
            import asyncio
            async def ok(n):
                await asyncio.sleep(0.01 * n)
                print("ok", n)
                return n
            async def slow():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("slow cancelled")
                    raise
            async def bad():
                await asyncio.sleep(0.03)
                raise ValueError("bad")
            async def main():
                async with asyncio.TaskGroup() as tg:
                    a = tg.create_task(ok(1))
                    b = tg.create_task(ok(2))
                print("all done", a.result(), b.result())
                try:
                    async with asyncio.TaskGroup() as tg:
                        tg.create_task(slow())
                        tg.create_task(bad())
                        await asyncio.sleep(10)
                        print("body not reached")
                except ExceptionGroup as eg:
                    print(type(eg).__name__, str(eg), [type(e).__name__ for e in eg.exceptions])
                print("main goes on, cancelling", asyncio.current_task().cancelling())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                @Sendable func ok(_ n: Int) async throws -> Int {
                    try await asyncio.sleep(0.01 * Double(n))
                    out.print("ok", n)
                    return n
                }
                let (a, b) = try await asyncio.taskGroup { group in
                    (try group.createTask { try await ok(1) }, try group.createTask { try await ok(2) })
                }
                out.print("all done", try a.result(), try b.result())
                do {
                    try await asyncio.taskGroup { group in
                        try group.createTask {
                            do { try await asyncio.sleep(10) } catch let error as asyncio.CancelledError {
                                out.print("slow cancelled")
                                throw error
                            }
                        }
                        try group.createTask {
                            try await asyncio.sleep(0.03)
                            throw builtins.ValueError("bad")
                        }
                        try await asyncio.sleep(10)
                        out.print("body not reached")
                    }
                } catch let group as builtins.ExceptionGroup {
                    let names = group.exceptions.map { "'\(pyName($0))'" }.joined(separator: ", ")
                    out.print(pyName(group), group.description, "[\(names)]")
                }
                out.print("main goes on, cancelling", asyncio.currentTask().cancelling())
            }
        }
    }

    func testTimeoutTurnsTheCancellationIntoTimeoutError() throws {
        let script = """
            import asyncio
            async def main():
                try:
                    async with asyncio.timeout(0.05):
                        await asyncio.sleep(10)
                        print("not reached")
                except TimeoutError as e:
                    print(type(e).__name__, "cancelling", asyncio.current_task().cancelling())
                async with asyncio.timeout(1):
                    await asyncio.sleep(0.01)
                print("in time")
                async with asyncio.timeout(None):
                    await asyncio.sleep(0.01)
                print("no timeout")
                try:
                    async with asyncio.timeout(0.05):
                        try:
                            await asyncio.sleep(10)
                        except asyncio.CancelledError:
                            print("body cleans up")
                            await asyncio.sleep(0.01)
                            raise
                except TimeoutError:
                    print("timed out after cleanup")
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                do {
                    try await asyncio.timeout(0.05) {
                        try await asyncio.sleep(10)
                        out.print("not reached")
                    }
                } catch let error as builtins.TimeoutError {
                    out.print(pyName(error), "cancelling", asyncio.currentTask().cancelling())
                }
                try await asyncio.timeout(1) { try await asyncio.sleep(0.01) }
                out.print("in time")
                try await asyncio.timeout(nil) { try await asyncio.sleep(0.01) }
                out.print("no timeout")
                do {
                    try await asyncio.timeout(0.05) {
                        do { try await asyncio.sleep(10) } catch let error as asyncio.CancelledError {
                            out.print("body cleans up")
                            try await asyncio.sleep(0.01)
                            throw error
                        }
                    }
                } catch is builtins.TimeoutError {
                    out.print("timed out after cleanup")
                }
            }
        }
    }

    func testShieldKeepsTheInnerTaskRunning() throws {
        let script = """
            import asyncio
            async def important():
                await asyncio.sleep(0.1)
                print("important finished")
                return "saved"
            async def main():
                t = asyncio.create_task(important())
                try:
                    await asyncio.wait_for(asyncio.shield(t), 0.02)
                except TimeoutError:
                    print("waiting gave up; task cancelled?", t.cancelled())
                print("result", await t)
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let task = asyncio.createTask { () -> String in
                    try await asyncio.sleep(0.1)
                    out.print("important finished")
                    return "saved"
                }
                do {
                    _ = try await asyncio.waitFor(0.02) { try await asyncio.shield(task).value }
                } catch is builtins.TimeoutError {
                    out.print("waiting gave up; task cancelled?", pyBool(task.cancelled))
                }
                out.print("result", try await task.value)
            }
        }
    }

    func testTaskCancelStateAndMessages() throws {
        let script = """
            import asyncio
            async def sleeper():
                await asyncio.sleep(10)
            async def quick():
                return 1
            async def main():
                t = asyncio.create_task(sleeper())
                await asyncio.sleep(0)
                print("done", t.done(), "cancelled", t.cancelled(), "cancelling", t.cancelling())
                print(t.cancel("first"), t.cancel("second"), "cancelling", t.cancelling())
                try:
                    await t
                except asyncio.CancelledError as e:
                    print("raised with", e.args)
                print("done", t.done(), "cancelled", t.cancelled(), "uncancel", t.uncancel(), t.uncancel())
                q = asyncio.create_task(quick())
                await q
                print("cancel finished", q.cancel(), q.cancelled(), q.result())
                try:
                    t.result()
                except asyncio.CancelledError:
                    print("result() of cancelled raises CancelledError")
                f = asyncio.get_running_loop().create_future()
                try:
                    f.result()
                except asyncio.InvalidStateError as e:
                    print(type(e).__name__, e)
                print(t.get_name(), q.get_name(), asyncio.current_task().get_name())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            try asyncio.run {
                let task = asyncio.createTask { try await asyncio.sleep(10) }
                try await asyncio.sleep(0)
                out.print(
                    "done", pyBool(task.done), "cancelled", pyBool(task.cancelled), "cancelling", task.cancelling())
                out.print(pyBool(task.cancel("first")), pyBool(task.cancel("second")), "cancelling", task.cancelling())
                do { try await task.value } catch let error as asyncio.CancelledError {
                    out.print("raised with", pyArgs(error))
                }
                out.print(
                    "done", pyBool(task.done), "cancelled", pyBool(task.cancelled), "uncancel", task.uncancel(),
                    task.uncancel())
                let quick = asyncio.createTask { 1 }
                _ = try await quick.value
                out.print("cancel finished", pyBool(quick.cancel()), pyBool(quick.cancelled), try quick.result())
                do { try task.result() } catch is asyncio.CancelledError {
                    out.print("result() of cancelled raises CancelledError")
                }
                do { _ = try asyncio.Future<Int>().result() } catch {
                    out.print(pyName(error), pythonExceptionMessage(of: error))
                }
                out.print(task.name, quick.name, asyncio.currentTask().name)
            }
        }
    }

    func testRunInExecutorRunsOnAThreadAndCancelsWorkNotStarted() throws {
        let script = """
            import asyncio, threading, time
            from concurrent.futures import ThreadPoolExecutor
            def blocking(x):
                time.sleep(0.05)
                return x * 2, threading.current_thread() is threading.main_thread()
            async def main():
                loop = asyncio.get_running_loop()
                print(await loop.run_in_executor(None, blocking, 21))
                with ThreadPoolExecutor(max_workers=1) as pool:
                    first = loop.run_in_executor(pool, blocking, 1)
                    second = loop.run_in_executor(pool, blocking, 2)
                    print("cancel queued", second.cancel())
                    print(await first, second.cancelled())
            asyncio.run(main())
            """
        try assertSameAsPython(script) { out in
            let loopThread = pthread_self()
            @Sendable func blocking(_ x: Int) -> String {
                Thread.sleep(forTimeInterval: 0.05)
                return "(\(x * 2), \(pyBool(pthread_equal(pthread_self(), loopThread) != 0)))"
            }
            try asyncio.run {
                let loop = asyncio.getRunningLoop()
                out.print(try await loop.runInExecutor(nil) { blocking(21) }.value)
                let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 1)
                defer { pool.shutdown(wait: true) }
                let first = loop.runInExecutor(pool) { blocking(1) }
                let second = loop.runInExecutor(pool) { blocking(2) }
                out.print("cancel queued", pyBool(second.cancel()))
                out.print(try await first.value, pyBool(second.cancelled))
            }
        }
    }
}
