import Foundation
import Glibc
import PythonRuntime

/// Ports of the `no-run` cells of `notebooks/04-asyncio.ipynb`, one demo per cell, in
/// notebook order. Each cell's top-level `await`s run inside `asyncio.run`, which gives the
/// cell its own event loop on its own thread (see `Support/AsyncIO`). The helpers that
/// several cells share (`fetch`, `urls`) are defined once below.
public enum Asyncio04 {
    static let notebook = "04-asyncio"

    /// The ports of 04-asyncio.ipynb's cells.
    public static let demos: [Demo] = [
        oneFetch, gather, createTask, asCompleted, waitFor, semaphore, blocking, manyWaits,
    ]

    // MARK: Shared helpers

    /// `async def fetch(url)`: a pretend network request of 0.3 s.
    static func fetch(_ url: String) async throws -> String {
        try await asyncio.sleep(0.3)  // stand-in for a network request
        return "\(url) -> 200 OK"
    }

    /// `urls = [f'https://site/{i}' for i in range(8)]`
    static let urls = (0..<8).map { "https://site/\($0)" }

    // MARK: Coroutines and await

    static let oneFetch = Demo(
        notebook: notebook, name: "one-fetch",
        fingerprint: "9201bfecde66c268",
        sketch: "ab122e4c227fb55d3e510202ad6f2d66403a92af807cc992b6e26da0b2388fc5"
    ) { ctx in
        try asyncio.run {
            let start = time.perfCounter()
            ctx.print(try await fetch("https://example.com"))
            ctx.print("one fetch: \(format(time.perfCounter() - start, ".2f"))s")
        }
    }

    static let gather = Demo(
        notebook: notebook, name: "gather",
        fingerprint: "8c83d543275657df",
        sketch: "f87aaf69807cc992845930463d4c5c6dbf0acf53"
    ) { ctx in
        try asyncio.run {
            let start = time.perfCounter()
            let results = try await asyncio.gather(urls) { u in try await fetch(u) }
            ctx.print("\(results.count) fetched in \(format(time.perfCounter() - start, ".2f"))s")
            ctx.print(results.last ?? "")
        }
    }

    // MARK: Tasks

    /// `async def worker(name, delay)`
    static func worker(_ ctx: DemoContext, _ name: String, _ delay: Double) async throws -> String {
        ctx.print("\(name) starting")
        try await asyncio.sleep(delay)
        ctx.print("\(name) done")
        return name
    }

    /// The task first runs when the cell awaits its sleep, so the five lines come in one
    /// order only, as on CPython's loop.
    static let createTask = Demo(
        notebook: notebook, name: "create-task",
        fingerprint: "4dba92a635d1d616",
        sketch: "d00eab4f67b3a6466fad7866338930f29a9e633ec57989b79ec61eed0f8222bc27654b3d2d311ccb"
    ) { ctx in
        try asyncio.run {
            let task = asyncio.createTask { try await worker(ctx, "A", 0.5) }
            ctx.print("task created; this cell keeps going")
            try await asyncio.sleep(0.1)
            ctx.print("did something else meanwhile")
            ctx.print("result:", try await task.value)
        }
    }

    // MARK: as_completed

    /// `async def variable_fetch(url)`: the draw comes from the cell's seeded generator,
    /// made as each task starts, in list order (one loop thread, so always the same order).
    static func variableFetch(_ ctx: DemoContext, _ url: String) async throws -> String {
        try await asyncio.sleep(ctx.uniform(0.1, 0.6))  // finishing times will vary
        return "\(url) done"
    }

    static let asCompleted = Demo(
        notebook: notebook, name: "as-completed",
        fingerprint: "d05b882b36cd3044",
        sketch: "ad150733c790c77dbca45734ae477ad62085d4ca9a40cd87"
    ) { ctx in
        try asyncio.run {
            let coroutines: [asyncio.Coroutine<String>] = urls.map { u in { try await variableFetch(ctx, u) } }
            for await nextDone in asyncio.asCompleted(coroutines) {
                ctx.print(try nextDone.get())
            }
        }
    }

    // MARK: Timeouts

    /// `async def slow()`: cancelled during its sleep, it never reaches its return.
    static func slow() async throws -> String {
        try await asyncio.sleep(2)
        return "finally"
    }

    static let waitFor = Demo(
        notebook: notebook, name: "wait-for",
        fingerprint: "b93f673656a3cd41",
        sketch: "e41d8cdcaf6dafe9df9d9822807cc99226bc61dc27d20e72f24202030ea86356"
    ) { ctx in
        try asyncio.run {
            let start = time.perfCounter()
            do {
                ctx.print(try await asyncio.waitFor(0.5) { try await slow() })
            } catch is builtins.TimeoutError {
                ctx.print("gave up after \(format(time.perfCounter() - start, ".1f"))s")
            }
        }
    }

    // MARK: Semaphore

    /// `active` and `peak` are plain loop-owned counters: no lock, as in the Python.
    static let semaphore = Demo(
        notebook: notebook, name: "semaphore",
        fingerprint: "1be8a53af13deb09",
        sketch:
            "c2bf6f918c72f3505c71b2a90412d2a0165c12338fe066acad9b9dd23ba6e467715ac2372f1cbb0c5462c476807cc992f141bbf57f92d0c01e6469d1"
    ) { ctx in
        try asyncio.run {
            let limit = asyncio.Semaphore(3)
            let active = LoopBound(0)
            let peak = LoopBound(0)

            @Sendable func politeFetch(_ url: String) async throws -> String {
                try await limit.withPermit {
                    active.value += 1
                    peak.value = max(peak.value, active.value)
                    try await asyncio.sleep(0.2)
                    active.value -= 1
                }
                return url
            }

            let start = time.perfCounter()
            try await asyncio.gather(urls) { u in try await politeFetch(u) }
            ctx.print("peak concurrency: \(peak.value)")
            ctx.print("elapsed: \(format(time.perfCounter() - start, ".2f"))s")
        }
    }

    // MARK: Never block the loop

    static let blocking = Demo(
        notebook: notebook, name: "blocking",
        fingerprint: "b6feb752fba9b212",
        sketch: "2cb8ef12f9ae60039a9e633e807cc992f9ba10a32ac471ed285cc621b9e47bce9a9e633e807cc992241925f25ad8843d"
    ) { ctx in
        try asyncio.run {
            @Sendable func blockingWorker(_ name: String) async -> String {
                time.sleep(0.5)  // blocks the whole event loop!
                return name
            }

            var start = time.perfCounter()
            try await asyncio.gather("ABC".map(String.init)) { n in await blockingWorker(n) }
            ctx.print("time.sleep:        \(format(time.perfCounter() - start, ".2f"))s")

            @Sendable func offloadedWorker(_ name: String) async throws -> String {
                try await asyncio.toThread { time.sleep(0.5) }  // runs on a thread; the loop stays free
                return name
            }

            start = time.perfCounter()
            try await asyncio.gather("ABC".map(String.init)) { n in try await offloadedWorker(n) }
            ctx.print("asyncio.to_thread: \(format(time.perfCounter() - start, ".2f"))s")
        }
    }

    // MARK: Waits are cheap

    static let manyWaits = Demo(
        notebook: notebook, name: "many-waits",
        fingerprint: "aebf234c06b7b95b",
        sketch: "807cc99269654eb2309d4c59"
    ) { ctx in
        try asyncio.run {
            let start = time.perfCounter()
            try await asyncio.gather(0..<10_000) { _ in try await asyncio.sleep(0.5) }
            ctx.print("10,000 concurrent waits: \(format(time.perfCounter() - start, ".2f"))s")
        }
    }
}
