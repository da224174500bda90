import Foundation
import PythonRuntime

/// The port of the tutorial's prime count, which Swift computes about 20 times faster than
/// CPython, spending what CPython spends instead (`CPythonCost`): bench/cpu_cost_row.py runs it
/// beside the Python on an idle and a loaded machine and compares the times it prints.
///
/// ```python
/// def is_prime(n):
///     if n < 2: return False
///     for i in range(2, int(n ** 0.5) + 1):
///         if n % i == 0: return False
///     return True
/// start, cpu = time.perf_counter(), time.process_time()
/// count = sum(1 for n in range(LIMIT) if is_prime(n))
/// print(f'{count} primes cpu {time.process_time() - cpu:.3f} wall {time.perf_counter() - start:.3f}')
/// ```
enum CPythonCostDemo {
    // One iteration of the loop (`if n % i == 0`), and one call of is_prime with its range
    // and square root, each as CPython spends it on this machine.
    static let iteration = CPythonCost.Declaration(
        statement: "for i in range(2, 1002):\n    if n % i == 0: pass", setup: "n = 1_000_003",
        iterationsPerStatement: 1000, fallbackNanoseconds: 31.7)
    static let isPrimeCall = CPythonCost.Declaration(
        statement: "is_prime(n)",
        setup: "def is_prime(n):\n    if n < 2: return False\n    for i in range(2, int(n ** 0.5) + 1): pass\n"
            + "    return True\nn = 3",
        fallbackNanoseconds: 250)

    static func run(limit: Int) {
        // As the engine does for a demo declaring them: measured before the cell's clock starts.
        let calibrated = CPythonCost.Declaration.calibrate([iteration, isPrimeCall])
        let measured = calibrated[0]
        PyInterpreter().run {
            let start = time.perfCounter(), cpu = time.threadTime()
            // Inside the timed part, as a cell reads them: from memory, no python3 runs.
            let iteration = Self.iteration.cost, call = isPrimeCall.cost
            var count = 0
            var cpython = CPythonTime()
            for n in 0..<limit {
                cpython.spend(call, iterations: 1)
                guard n >= 2 else { continue }
                var prime = true
                var i = 2
                while i * i <= n {
                    cpython.spend(iteration, iterations: 1)
                    if n % i == 0 {
                        prime = false
                        break
                    }
                    i += 1
                }
                if prime { count += 1 }
            }
            cpython.settle()
            print(
                "\(count) primes cpu \(fixed(time.threadTime() - cpu, places: 3)) wall \(fixed(time.perfCounter() - start, places: 3))"
                    + " (\(measured.source), \(fixed(iteration.secondsPerIteration * 1e9, places: 1)) ns per iteration)"
            )
        }
    }
}
