import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
    /// What `current_process()` tells about this process.
    public struct CurrentProcess: Sendable {
        /// Python: `current_process().name`: `MainProcess` in nbrun itself; in a child, its
        /// name (`Process-1`, `ForkPoolWorker-2`, `ForkProcess-3`, as CPython 3.11 names them).
        public let name: String
        /// Python: `current_process().pid`.
        public let pid: Int32
    }

    /// Python: `multiprocessing.current_process()`.
    public static func currentProcess() -> CurrentProcess {
        CurrentProcess(name: processName.withLock { $0 }, pid: getpid())
    }

    /// Python: `multiprocessing.cpu_count()` (`os.cpu_count()`: the processors online,
    /// whatever this process's affinity).
    public static func cpuCount() -> Int { Syscall.processorsOnline() }

    private static let processName = Locked("MainProcess")

    /// Set by a worker from its arguments before it runs anything.
    static func setProcessName(_ name: String) { processName.withLock { $0 = name } }

    /// CPython's `_process_counter`: one sequence numbers every child a process starts
    /// (`Process-1`, then a pool's `ForkPoolWorker-2`, ...). A scope stands for a kernel's
    /// process (a notebook's interpreter) and counts its own children; outside any, one
    /// sequence for nbrun's process.
    private static let identities = Locked(0)

    static func nextIdentity() -> Int {
        if let scope = ProcessScope.current { return scope.nextIdentity() }
        return identities.withLock {
            $0 += 1
            return $0
        }
    }
}
