import Foundation
import Futures
import PythonRuntime
import TestKit
import XCTest

/// Locks', threads' and futures' `repr` as CPython 3.11 writes them: the same scenario in
/// python3 and with the look-alikes, addresses and thread idents masked (they differ on
/// every run in CPython too).
final class ObjectReprTests: XCTestCase {
    static func masked(_ line: String) -> String {
        line.replacingOccurrences(of: #"0x[0-9a-f]+"#, with: "0xADDR", options: .regularExpression)
            .replacingOccurrences(of: #"owner=[1-9][0-9]*"#, with: "owner=IDENT", options: .regularExpression)
            .replacingOccurrences(
                of: #"(started|stopped) (daemon )?[0-9]+"#, with: "$1 $2IDENT", options: .regularExpression)
    }

    func testReprsMatchCPython() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let expected = try PythonReference.lines(
            """
            import threading, concurrent.futures as cf
            l = threading.Lock(); print(repr(l)); l.acquire(); print(repr(l))
            r = threading.RLock(); print(repr(r)); r.acquire(); r.acquire(); print(repr(r))
            s = threading.Semaphore(2); print(repr(s)); s.acquire(); print(repr(s))
            b = threading.BoundedSemaphore(3); b.acquire(); print(repr(b))
            e = threading.Event(); print(repr(e)); e.set(); print(repr(e))
            print(repr(threading.Condition())); print(repr(threading.Condition(threading.Lock())))
            bar = threading.Barrier(3); print(repr(bar)); bar.abort(); print(repr(bar))
            f = cf.Future(); print(repr(f)); f.set_running_or_notify_cancel(); print(repr(f)); f.set_result(3); print(repr(f))
            f = cf.Future(); f.set_exception(ValueError('x')); print(repr(f))
            f = cf.Future(); f.cancel(); print(repr(f))
            for v in ['s', 2.5, None, [1], {'a': 1}]:
                f = cf.Future(); f.set_result(v); print(repr(f))
            def work(): pass
            t = threading.Thread(target=work); print(repr(t)); t.start(); t.join(); print(repr(t))
            print(repr(threading.current_thread()))
            """
        ).map(Self.masked)
        var lines: [String] = []
        let ctx = DemoContext(seed: 1)
        try ctx.interpreter.run {
            let lock = threading.Lock()
            lines.append(lock.description)
            lock.acquire()
            lines.append(lock.description)
            let rlock = threading.RLock()
            lines.append(rlock.description)
            rlock.acquire()
            rlock.acquire()
            lines.append(rlock.description)
            let semaphore = threading.Semaphore(2)
            lines.append(semaphore.description)
            semaphore.acquire()
            lines.append(semaphore.description)
            let bounded = threading.BoundedSemaphore(3)
            bounded.acquire()
            lines.append(bounded.description)
            let event = threading.Event()
            lines.append(event.description)
            event.set()
            lines.append(event.description)
            lines += [threading.Condition().description, threading.Condition(threading.Lock()).description]
            let barrier = threading.Barrier(3)
            lines.append(barrier.description)
            barrier.abort()
            lines.append(barrier.description)
            let future = concurrent.futures.Future<Int>()
            lines.append(future.description)
            _ = future.setRunningOrNotifyCancel()
            lines.append(future.description)
            _ = future.setResult(3)
            lines.append(future.description)
            let failed = concurrent.futures.Future<Int>()
            _ = failed.setException(builtins.ValueError("x"))
            lines.append(failed.description)
            let cancelled = concurrent.futures.Future<Int>()
            _ = cancelled.cancel()
            lines.append(cancelled.description)
            for value in ["s", 2.5, .none, [1], ["a": 1]] as [PyValue] {
                let done = concurrent.futures.Future<PyValue>()
                _ = done.setResult(value)
                lines.append(done.description)
            }
            let thread = threading.Thread(targetName: "work") {}
            lines.append(thread.description)
            thread.start()
            thread.join()
            lines.append(thread.description)
            lines.append(threading.currentThread().description)
        }
        XCTAssertEqual(lines.map(Self.masked), expected)
    }

    func testAsyncioLockReprsMatchCPython() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let expected = try PythonReference.lines(
            """
            import asyncio
            async def main():
                l = asyncio.Lock(); print(repr(l)); await l.acquire(); print(repr(l))
                t = asyncio.create_task(l.acquire()); await asyncio.sleep(0); print(repr(l)); l.release(); await t
                e = asyncio.Event(); print(repr(e)); e.set(); print(repr(e))
                s = asyncio.Semaphore(2); print(repr(s)); await s.acquire(); await s.acquire(); print(repr(s))
            asyncio.run(main())
            """
        ).map(Self.masked)
        let lines = try asyncio.run {
            var lines: [String] = []
            let lock = asyncio.Lock()
            lines.append(lock.description)
            try await lock.acquire()
            lines.append(lock.description)
            let waiter = asyncio.createTask { try await lock.acquire() }
            try await asyncio.sleep(0)
            lines.append(lock.description)
            try lock.release()
            try await waiter.value
            let event = asyncio.Event()
            lines.append(event.description)
            event.set()
            lines.append(event.description)
            let semaphore = asyncio.Semaphore(2)
            lines.append(semaphore.description)
            try await semaphore.acquire()
            try await semaphore.acquire()
            lines.append(semaphore.description)
            return lines
        }
        XCTAssertEqual(lines.map(Self.masked), expected)
    }
}
