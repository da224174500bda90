import Foundation
import Futures

/// Ports of the `no-run` cells of `notebooks/03-processes.ipynb`, one demo per cell, in
/// notebook order. Python names are kept; the helper cells share (`burn`, `tasks`) is
/// defined once below. Clocks and threads are real, and the threads take turns on the
/// cell's GIL (`Support/PyInterpreter.swift`), which is the point of the first cell.
public enum Processes03 {
    static let notebook = "03-processes"

    public static let demos: [Demo] = [
        burnDemo,
    ]

    // MARK: Shared helpers (defined in one cell, reused by later ones)

    /// `def burn(cpu_seconds)`: spin until this thread has used `cpuSeconds` of CPU time.
    /// The eval-breaker check is what CPython's eval loop does between the loop's bytecodes:
    /// it lets a waiting thread have the GIL every switch interval.
    @Sendable static func burn(_ cpuSeconds: Double) -> Double {
        let end = threadTime() + cpuSeconds
        while threadTime() < end {
            evalBreaker()
        }
        return cpuSeconds
    }

    /// `tasks = [0.25] * 4`
    static let tasks = Array(repeating: 0.25, count: 4)

    // MARK: CPU-bound work: threads don't help

    // start = time.perf_counter()
    // for t in tasks:
    //     burn(t)
    // print(f'sequential: {time.perf_counter() - start:.2f}s')
    //
    // start = time.perf_counter()
    // with ThreadPoolExecutor(max_workers=4) as pool:
    //     list(pool.map(burn, tasks))
    // print(f'4 threads:  {time.perf_counter() - start:.2f}s')
    static let burnDemo = Demo(
        notebook: notebook, name: "burn",
        fingerprint: "4543073ba303e8ce",
        sketch: "227fb55dc782055c1e56777a524b1518ec7d257ef8f75ccbca2225380af74d7feda00f79807cc992"
            + "e4a98319041f8e2fe6e74cbc807cc992d01af842a64469360975eee0",
        cpuBound: true
    ) { ctx in
        var start = perfCounter()
        for t in tasks {
            _ = burn(t)
        }
        ctx.print("sequential: \(f2(perfCounter() - start))s")

        start = perfCounter()
        _ = try ThreadPoolExecutor.with(maxWorkers: 4) { try $0.map(tasks, burn) }  // the pool's threads share this cell's GIL
        ctx.print("4 threads:  \(f2(perfCounter() - start))s")
    }
}
