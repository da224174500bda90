import Foundation
import PythonRuntime
import Synchronization

/// Ports of the `no-run` cells of `notebooks/02-threads.ipynb`, one demo per cell, in
/// notebook order. Python names are kept (`variable_fetch` becomes `variableFetch`); the
/// helpers that several cells share (`worker`, `fetch`, `urls`) are defined once below.
/// Threads, sleeps and clocks are real, and the threads take turns on the cell's GIL:
/// see `Support/` (`threading.Thread`, `PyInterpreter`, `PyTime`).
public enum Threads02 {
    static let notebook = "02-threads"

    /// The ports of 02-threads.ipynb's cells.
    public static let demos: [Demo] = [
        rawThread, threeThreads, submitOne, submitMany, map, asCompletedDemo, flakyDemo, race, lockDemo,
    ]

    // MARK: Shared helpers (defined in one cell, reused by later ones)

    /// `def worker(name)`: announce, block for half a second, announce again.
    static func worker(_ ctx: DemoContext, _ name: String) {
        ctx.print("\(name) starting")
        time.sleep(0.5)  // stand-in for a blocking I/O call
        ctx.print("\(name) done")
    }

    /// `def fetch(url)`: a pretend network request of 0.3 s.
    static func fetch(_ ctx: DemoContext, _ url: String) -> String {
        time.sleep(0.3)  // pretend this is a network request
        return "\(url) -> 200 OK"
    }

    /// `urls = [f'https://site/{i}' for i in range(8)]`
    static let urls = (0..<8).map { "https://site/\($0)" }

    // MARK: A raw thread

    static let rawThread = Demo(
        notebook: notebook, name: "raw-thread",
        fingerprint: "25fc65cbb0394a71",
        sketch: "4f94aa54227fb55dff52fc1a67b3a6463c5fcd2a338930f22cf88e0df1cb1b19ceedb3b43ae34ec2d75654ea"
    ) { ctx in
        let t = threading.Thread(targetName: "worker") { worker(ctx, "A") }
        t.start()  // runs worker("A") on a new thread
        ctx.print("main thread keeps going while A works")
        t.join()  // wait for the thread to finish
        ctx.print("A has finished")
    }

    static let threeThreads = Demo(
        notebook: notebook, name: "three-threads",
        fingerprint: "1951b90ba35dd90e",
        sketch: "3e674b86807cc99246648688d452e710466486888d6a38051e6469d1"
    ) { ctx in
        let threads = (0..<3).map { i in threading.Thread(targetName: "worker") { worker(ctx, "T\(i)") } }

        let start = time.perfCounter()
        for t in threads { t.start() }  // start all three
        for t in threads { t.join() }  // then wait for all three
        ctx.print("elapsed: \(format(time.perfCounter() - start, ".2f"))s")
    }

    // MARK: concurrent.futures.ThreadPoolExecutor

    static let submitOne = Demo(
        notebook: notebook, name: "submit-one",
        fingerprint: "525b1f56f23f4d7f",
        sketch: "c782055c5d86222ae7a090d6403a92afd01af84220c3c0faf52d221f6befcad6"
    ) { ctx in
        try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            let future = pool.submit { fetch(ctx, "https://example.com") }  // returns immediately
            ctx.print("submitted; doing other things...")
            ctx.print(try future.result())  // blocks until ready
        }
    }

    static let submitMany = Demo(
        notebook: notebook, name: "submit-many",
        fingerprint: "363f24fe21699cba",
        sketch: "f87aaf69807cc992d01af842ccb4202dfd5abe343d4c5c6dd5a9d2cb"
    ) { ctx in
        let start = time.perfCounter()
        let results = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            let futures = urls.map { u in pool.submit { fetch(ctx, u) } }
            return try futures.map { f in try f.result() }  // results in submission order
        }

        ctx.print("\(results.count) fetched in \(format(time.perfCounter() - start, ".2f"))s")
        ctx.print(results[0])
    }

    /// `pool.map` here collects the results eagerly (then they are printed), where
    /// Python's lazy `map` prints the first four after the first wave: same lines.
    static let map = Demo(
        notebook: notebook, name: "map",
        fingerprint: "da9e8566990ff13f",
        sketch: "d01af842855226bf6b96ced0"
    ) { ctx in
        try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            for result in try pool.map(urls, { u in fetch(ctx, u) }) {  // in input order
                ctx.print(result)
            }
        }
    }

    // MARK: as_completed

    /// `def variable_fetch(url)`: sleeps `random.uniform(0.1, 0.6)`. Each task draws from
    /// its own generator, split off the cell's one in submission order, so a seed fixes
    /// every task's sleep whatever the thread scheduling.
    static func variableFetch(_ url: String, _ random: SeededGenerator) -> String {
        var random = random
        time.sleep(random.uniform(0.1, 0.6))  // finishing times will vary
        return "\(url) done"
    }

    static let asCompletedDemo = Demo(
        notebook: notebook, name: "as-completed",
        fingerprint: "f394949a17461c66",
        sketch: "98ca5c55ad150733a142cb05391761ddae477ad6d01af84287fe4a46451e6380d584336317702a20"
    ) { ctx in
        try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            var futureToUrl: [concurrent.futures.Future<String>: String] = [:]
            for u in urls {
                let random = ctx.splitGenerator()
                futureToUrl[pool.submit { variableFetch(u, random) }] = u
            }
            for future in concurrent.futures.asCompleted(futureToUrl.keys) {
                let url = futureToUrl[future]!
                ctx.print("\(url): \(try future.result())")  // printed as each finishes
            }
        }
    }

    // MARK: Exceptions surface at result()

    /// `def flaky(n)`: raises `ValueError` for 3.
    static func flaky(_ n: Int) throws -> Int {
        if n == 3 {
            throw builtins.ValueError("cannot process \(n)")
        }
        return n * 10
    }

    static let flakyDemo = Demo(
        notebook: notebook, name: "flaky",
        fingerprint: "59b1663369d16889",
        sketch: "a2f223f8110fb4c7f484f32de4ad64082e10d8ffd4a8133f603142f3ab63f8438eaf35fc81f29519f07fe005bdefb30a"
    ) { ctx in
        try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 3) { pool in
            var futures: [concurrent.futures.Future<Int>: Int] = [:]
            for n in 0..<5 { futures[pool.submit { try flaky(n) }] = n }
            for future in concurrent.futures.asCompleted(futures.keys) {
                let n = futures[future]!
                do {
                    ctx.print("\(n) -> \(try future.result())")
                } catch let exc as builtins.ValueError {
                    ctx.print("\(n) failed: \(exc)")  // handle per-task failure
                }
            }
        }
    }

    // MARK: Shared state

    /// Updates are lost only while two threads really run at once: likely when both
    /// cores are free, rarer when other processes hold the cores. The loops run outside
    /// the GIL and set off together from a start line (`StartGate`, in
    /// `Threads02/SharedState.swift`), so the overlap is the Python's and the losses real.
    static let race = Demo(
        notebook: notebook, name: "race",
        fingerprint: "447c0859fd279949",
        sketch: "f52df55caa20aa6cb1fba12a51d93cded674e5b8dba107b097a26ca1af4d099d0439c24f74fa2625",
        load: .allCores
    ) { ctx in
        let counter = RacyCounter()
        let started = StartGate(parties: 4)

        // The loop runs with the GIL released, as native code that releases it would:
        // under CPython 3.11's GIL these threads took turns and the race stayed hidden; the
        // notebook says updates are usually lost, and here they really are.
        @Sendable func increment() {
            releasingGIL {
                started.runTogether {
                    for _ in 0..<100_000 {
                        counter.store(counter.load() + 1)  // NOT atomic: read, +1, write
                    }
                }
            }
        }

        let threads = (0..<4).map { _ in threading.Thread(targetName: "increment", target: increment) }
        for t in threads { t.start() }
        for t in threads { t.join() }

        ctx.print("expected:", 4 * 100_000)
        ctx.print("got:     ", counter.load())  // usually LESS: updates were lost
    }

    static let lockDemo = Demo(
        notebook: notebook, name: "lock",
        fingerprint: "a1db3cc2944743aa",
        sketch: "f52df55c1b7aac599ceacaa6b1fba12a51d93cde2981f5a9299fc8c68c14dc9a97a26ca1af4d099d677804aa",
        load: .oneCore
    ) { ctx in
        let counter = Counter()
        let lock = threading.Lock()

        @Sendable func safeIncrement() {
            for _ in 0..<100_000 {
                evalBreaker()  // where CPython's eval loop may switch threads
                lock.withLock {  // only one thread in here at a time
                    counter.value += 1
                }
            }
        }

        let threads = (0..<4).map { _ in threading.Thread(targetName: "safe_increment", target: safeIncrement) }
        for t in threads { t.start() }
        for t in threads { t.join() }

        ctx.print("got:", counter.value)  // now exactly 400000
    }
}
