import Foundation
import PythonRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Ports of the `no-run` cells of `notebooks/03-processes.ipynb`, one demo per cell, in
/// notebook order. Python names are kept (`check_positive` becomes `checkPositive`). The
/// functions the cells define and send to workers (`burn`, `whoami`, `bump`, ...) are
/// registered functions, in `Processes03/RegisteredFunctions.swift`. Clocks, threads and
/// processes are real: the thread cell's threads take turns on the cell's GIL
/// (`Support/PyInterpreter.swift`), and each worker process has a GIL of its own.
public enum Processes03 {
    static let notebook = "03-processes"

    /// The ports of 03-processes.ipynb's cells.
    public static let demos: [Demo] = [
        burnDemo, twoProcesses, whoamiDemo, bumpDemo, checkPositiveDemo, chunksize, depositDemo,
    ]

    // MARK: Shared helpers (defined in one cell, reused by later ones)

    /// `tasks = [0.25] * 4`
    static let tasks = Array(repeating: 0.25, count: 4)

    /// How Python prints a `bool`.
    static func pythonBool(_ value: Bool) -> String { value ? "True" : "False" }

    // MARK: CPU-bound work: threads don't help

    static let burnDemo = Demo(
        notebook: notebook, name: "burn",
        fingerprint: "4543073ba303e8ce",
        sketch: "227fb55dc782055c1e56777a524b1518ec7d257ef8f75ccbca2225380af74d7feda00f79807cc992"
            + "e4a98319041f8e2fe6e74cbc807cc992d01af842a64469360975eee0",
        load: .oneCore
    ) { ctx in
        var start = time.perfCounter()
        for t in tasks {
            _ = try burn(t)
        }
        ctx.print("sequential: \(format(time.perfCounter() - start, ".2f"))s")

        start = time.perfCounter()
        // The pool's threads run in this cell's interpreter and share its GIL.
        _ = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            try pool.map(tasks) { t in try burn(t) }
        }
        ctx.print("4 threads:  \(format(time.perfCounter() - start, ".2f"))s")
    }

    // MARK: concurrent.futures.ProcessPoolExecutor: the same interface, real parallelism

    static let twoProcesses = Demo(
        notebook: notebook, name: "two-processes",
        fingerprint: "bc30773b5df2a04c",
        sketch: "7960e153807cc992ba1181b7a644693644040816",
        load: .allCores
    ) { ctx in
        let start = time.perfCounter()
        _ = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in try pool.map(burn, tasks) }
        ctx.print("2 processes: \(format(time.perfCounter() - start, ".2f"))s")
    }

    static let whoamiDemo = Demo(
        notebook: notebook, name: "whoami",
        fingerprint: "2a645c1efafc64b3",
        sketch: "79e35f0e65cebca59442d8a7c621987dba1181b7f19f41d32d28b5c4e8e23f79"
    ) { ctx in
        let pids = try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in try pool.map(whoami, 0..<6)
        }

        ctx.print(Set(pids).count, "worker processes ran", pids.count, "tasks")
        ctx.print("the notebook itself among them:", pythonBool(pids.contains(getpid())))
    }

    // MARK: Processes don't share memory

    static let bumpDemo = Demo(
        notebook: notebook, name: "bump",
        fingerprint: "3b40d5470a5089ee",
        sketch: "f52df55cc80f45b3b1fba12af93f6e26406636cb6b29a7a6d5d9971860a96ead"
    ) { ctx in
        counter.withLock { $0 = 0 }  // `counter = 0`, this process's global

        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 1) { pool in
            ctx.print("worker counts:", try (0..<3).map { _ in try pool.submit(bump).result() })
        }
        ctx.print("notebook still has counter =", counter.withLock { $0 })
    }

    // MARK: Everything crosses by pickling

    static let checkPositiveDemo = Demo(
        notebook: notebook, name: "check-positive",
        fingerprint: "1dba90b428c1d007",
        sketch: "b8154b575ad7260e538e7602787584a9ba1181b7b6bd8326a9f6beff8eaf35fc81f29519f07fe005"
            + "9e2541b8c228a9ec4ba72208c383e20944c36e3a"
    ) { ctx in
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            // A dict keeps insertion order: pairs, in submission order.
            let futures = try [3, -1, 5].map { n in (try pool.submit(checkPositive, n), n) }
            for (future, n) in futures {
                do {
                    ctx.print("\(n) -> \(try future.result())")
                } catch let exc as builtins.ValueError {
                    ctx.print("\(n) failed: \(exc)")
                }
            }

            do {
                // A closure has no registered name: it cannot cross to a worker.
                _ = try pool.submit({ (x: Int) in x * 2 }, 21).result()
            } catch {
                ctx.print("lambda:", pythonExceptionName(of: error))
            }
        }
    }

    // MARK: Every task pays for the trip

    static let chunksize = Demo(
        notebook: notebook, name: "chunksize",
        fingerprint: "7da42fdc6c350d62",
        sketch: "3a52bc9422f218455663bc22807cc992a2b0deda18a7d1c7ba1181b79e330c025407687df262be92"
            + "9e330c02020552b4461ea91a",
        load: .allCores
    ) { ctx in
        let numbers = 0..<10_000

        var start = time.perfCounter()
        let total = try numbers.map { try square($0) }.reduce(0, +)
        ctx.print("plain map:            \(format(time.perfCounter() - start, ".3f"))s  total=\(total)")

        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            start = time.perfCounter()
            try pythonAssert(try pool.map(square, numbers).reduce(0, +) == total)
            ctx.print("pool, chunksize=1:    \(format(time.perfCounter() - start, ".3f"))s")

            start = time.perfCounter()
            try pythonAssert(try pool.map(square, numbers, chunksize: 1_000).reduce(0, +) == total)
            ctx.print("pool, chunksize=1000: \(format(time.perfCounter() - start, ".3f"))s")
        }
    }

    /// Python's `assert condition`.
    static func pythonAssert(_ condition: Bool) throws {
        if !condition { throw builtins.AssertionError() }
    }

    // MARK: Sharing state on purpose

    static let depositDemo = Demo(
        notebook: notebook, name: "deposit",
        fingerprint: "bb941c408ef2e245",
        sketch: "c7762a3e744b0a6fcf12ee949b4989718b1ce2abf9d277a30a3d089dea37f4f37c8d16af19a134af",
        load: .allCores
    ) { ctx in
        let balance = try multiprocessing.Value<Int32>(0)  // Value('i', 0)
        let workers = (0..<4).map { _ in
            multiprocessing.Process(target: deposit, args: DepositArguments(balance: balance, times: 10_000))
        }
        for p in workers { try p.start() }
        for p in workers { try p.join() }
        ctx.print("balance:", try balance.value)  // exactly 40000
    }
}
