import Foundation
import PythonRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The functions the 03-processes cells send to worker processes: Python pickles a function
/// by its qualified name, here each is a `RemoteFunction` registered under a stable name.
/// nbrun registers `remoteFunctions` before `ProcessWorker.runIfRequested()`, so its workers
/// (nbrun started again in worker mode) can look them up.
extension Processes03 {
    /// Every function a 03-processes cell runs in a worker.
    public static let remoteFunctions: [any RemoteFunctionProtocol] = [
        burn, whoami, bump, checkPositive, square, deposit,
    ]

    /// Runs a function's Python body inside an interpreter, as CPython would: in a worker
    /// process, the process's own (`PyInterpreter.processWide`, one GIL per process); called
    /// in the notebook's process, the calling cell's, whose GIL the caller already holds.
    static func python<R>(_ body: () throws -> R) rethrows -> R {
        if PyInterpreter.current != nil { return try body() }
        return try PyInterpreter.processWide.run(body)
    }

    /// `def burn(cpu_seconds)`: spin until this thread has used `cpu_seconds` of CPU time.
    /// The eval-breaker check is what CPython's eval loop does between the loop's bytecodes:
    /// it lets a waiting thread of the same interpreter have the GIL every switch interval.
    static let burn = RemoteFunction<Double, Double>("03-processes.burn") { cpuSeconds in
        python {
            let end = time.threadTime() + cpuSeconds
            while time.threadTime() < end {
                evalBreaker()
            }
            return cpuSeconds
        }
    }

    /// `def whoami(task)`: sleep 0.1 s, then answer with this process's id.
    static let whoami = RemoteFunction<Int, Int32>("03-processes.whoami") { _ in
        python {
            time.sleep(0.1)
            return getpid()
        }
    }

    /// `counter = 0`: a module global, so each process (the notebook, each worker) has its own.
    static let counter = Locked(0)

    /// `def bump()`: `global counter; counter += 1; return counter`, in the process it runs in.
    static let bump = RemoteFunction<NoValue, Int>("03-processes.bump") {
        python {
            counter.withLock { counter in
                counter += 1
                return counter
            }
        }
    }

    /// `def check_positive(n)`: raises `ValueError` for a negative `n`.
    static let checkPositive = RemoteFunction<Int, Int>("03-processes.check_positive") { n in
        try python {
            if n < 0 {
                throw builtins.ValueError("\(n) is negative")
            }
            return n
        }
    }

    /// `def square(x)`.
    static let square = RemoteFunction<Int, Int>("03-processes.square") { x in
        python { x * x }
    }

    /// `args=(balance, times)`: a `Process`'s arguments cross as one Codable value; the shared
    /// `Value` inside crosses as an inherited file descriptor, as multiprocessing's does.
    struct DepositArguments: Codable, Sendable {
        let balance: multiprocessing.Value<Int32>
        let times: Int
    }

    /// `def deposit(balance, times)`: `times` increments of the shared balance, each under its
    /// cross-process lock.
    static let deposit = RemoteFunction<DepositArguments, NoValue>("03-processes.deposit") { args in
        try python {
            let balance = args.balance
            for _ in 0..<args.times {
                evalBreaker()
                try balance.getLock().withLock {  // one process at a time
                    try balance.setValue(balance.value + 1)  // balance.value += 1
                }
            }
            return NoValue()
        }
    }
}
