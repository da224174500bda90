import Dispatch
import Foundation

/// OS threads kept for reuse after their work is done, as GCD keeps its worker threads.
///
/// Executors are short-lived (a notebook cell opens `with ThreadPoolExecutor(4)` and closes
/// it again), and making a thread costs a `clone`, a stack `mmap`/`munmap` and guard pages
/// (bench/HISTORY.md has what reuse bought). Here a thread that finishes a job parks (on a semaphore of its
/// own) for up to `idleTimeout` seconds; the next `run` anywhere in the process hands it
/// the next job instead of creating a thread. At most `maxIdle` threads stay parked; the
/// rest exit at once, and a parked thread exits when its timeout passes with nothing to do.
///
/// This changes who owns a thread, not how many run: a `WorkerPool` still counts its own
/// workers against `maxWorkers` and starts them lazily; it only takes the thread from here.
package final class ThreadCache: Sendable {
    /// The cache every executor in the process shares.
    package static let shared = ThreadCache(maxIdle: 256, idleTimeout: 5)

    /// One parked thread: `run` puts a job in `job` and signals `wake`.
    private final class Parked: Sendable {
        let wake = DispatchSemaphore(value: 0)
        let job = Locked<(@Sendable () -> Void)?>(nil)
    }

    private struct State: Sendable {
        var parked: [Parked] = []
        var created = 0
        var reused = 0
    }

    package let maxIdle: Int
    package let idleTimeout: TimeInterval
    private let state = Locked(State())

    package init(maxIdle: Int, idleTimeout: TimeInterval) {
        self.maxIdle = maxIdle
        self.idleTimeout = idleTimeout
    }

    /// Threads this cache has created so far.
    package var createdCount: Int { state.withLock { $0.created } }
    /// Jobs handed to a parked thread instead of a new one.
    package var reusedCount: Int { state.withLock { $0.reused } }
    /// Threads parked right now, waiting for a job.
    package var idleCount: Int { state.withLock { $0.parked.count } }

    /// The name `run(name:_:)` gave the calling thread's job, whole: Linux keeps only 15
    /// bytes of an OS thread's name (and drops a longer one), so `Thread.current.name` may not
    /// hold it. Nil on a thread this cache did not run.
    package static var currentJobName: String? {
        Thread.current.threadDictionary[nameKey] as? String
    }

    private static let nameKey = "nbrun.ThreadCache.name"

    /// Runs `job` on a parked thread, or on a new one when none is parked; never blocks.
    /// The thread is named `name` while the job runs.
    package func run(name: String, _ job: @escaping @Sendable () -> Void) {
        let named: @Sendable () -> Void = {
            Thread.current.name = name
            Thread.current.threadDictionary[Self.nameKey] = name
            job()
        }
        let parked: Parked? = state.withLock { s in
            // Most recently parked first: its stack is the most likely to still be in cache.
            guard let thread = s.parked.popLast() else {
                s.created += 1
                return nil
            }
            s.reused += 1
            return thread
        }
        let slot = parked ?? Parked()
        slot.job.withLock { $0 = named }
        if parked != nil {
            slot.wake.signal()
        } else {
            // The thread's closure holds the slot, not the job: a finished job's captures
            // are released even while its thread lives on.
            let thread = Thread { [self] in loop(slot) }
            thread.name = name
            thread.start()
        }
    }

    /// A cached thread's life: run the job in its slot, park, run the next one handed over,
    /// until the cache is full or the idle timeout passes.
    private func loop(_ slot: Parked) {
        while true {
            // `job` ends with this block: what it captured is released before parking.
            if let job = slot.job.withLock({ $0.take() }) { job() } else { return }
            let kept = state.withLock { s in
                guard s.parked.count < maxIdle else { return false }
                s.parked.append(slot)
                return true
            }
            guard kept else { return }
            if slot.wake.wait(timeout: .now() + idleTimeout) == .timedOut {
                let expired = state.withLock { s in
                    guard let index = s.parked.firstIndex(where: { $0 === slot }) else { return false }
                    s.parked.remove(at: index)
                    return true
                }
                if expired { return }
                // `run` took this thread just as the timeout passed: its signal is on the way.
                slot.wake.wait()
            }
        }
    }
}
