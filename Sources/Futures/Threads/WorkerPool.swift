import Dispatch
import Foundation

/// The threads behind a `concurrent.futures.ThreadPoolExecutor`.
///
/// Why dedicated worker threads and not the global concurrent queue: tasks block (sleep, I/O,
/// joins). GCD's global pool on Linux is small and grows slowly when its threads block,
/// so with hundreds of executors alive, "4 workers" could mean far fewer running. Here
/// each executor owns up to `maxWorkers` `Thread`s of its own, so its concurrency never
/// depends on anyone else's. The threads themselves come from `ThreadCache` and go back
/// to it when they leave this pool, so short-lived executors do not create threads anew.
/// Dispatch still does the signalling: a counting semaphore (one signal per queued task,
/// plus one per thread at shutdown) and a group that `shutdown(wait: true)` waits on until
/// every worker has exited.
///
/// Threads are started lazily, like Python: only when a task is queued and no idle
/// worker is waiting for it. The workers hold this object (not the executor), so an
/// executor dropped without `shutdown` still shuts down from `deinit` and its threads exit.
final class WorkerPool: Sendable {
    private struct State: Sendable {
        var queue = WorkQueue()
        var threads = 0  // started and not yet exited
        var idle = 0  // waiting on `workAvailable` (or just woken, not yet dequeued)
        var isShutdown = false
        var started = 0  // for thread names
    }

    let maxWorkers: Int
    private let namePrefix: String
    private let state = Locked(State())
    /// Counts queued tasks plus shutdown wake-ups. Only signalled while holding `state`,
    /// so a woken worker that finds the queue empty knows the pool is shutting down.
    private let workAvailable = DispatchSemaphore(value: 0)
    /// Entered when a thread is started, left when it exits.
    private let workers = DispatchGroup()

    init(maxWorkers: Int, namePrefix: String) {
        self.maxWorkers = maxWorkers
        self.namePrefix = namePrefix
    }

    /// Number of live worker threads (tests check that they are started lazily).
    var threadCount: Int { state.withLock { $0.threads } }

    /// Number of workers waiting for work.
    var idleCount: Int { state.withLock { $0.idle } }

    /// Queues `item`; returns `false` (queuing nothing) after shutdown. Never blocks.
    func enqueue(_ item: WorkItem) -> Bool {
        let (accepted, newThread): (Bool, Int?) = state.withLock { s in
            guard !s.isShutdown else { return (false, nil) }
            s.queue.append(item)
            workAvailable.signal()
            // Start a thread only if the waiting workers can't take everything queued.
            guard s.queue.count > s.idle, s.threads < maxWorkers else { return (true, nil) }
            s.threads += 1
            s.started += 1
            workers.enter()  // before unlocking, so a concurrent shutdown(wait:) waits for it
            return (true, s.started)
        }
        if let number = newThread { startThread(number: number) }
        return accepted
    }

    /// The thread comes from the process-wide `ThreadCache` (a parked one when there is
    /// one): it is this pool's worker until `workLoop` returns, then goes back to the cache.
    private func startThread(number: Int) {
        ThreadCache.shared.run(name: "\(namePrefix)_\(number - 1)") { [self] in
            workLoop()
            workers.leave()
        }
    }

    private enum Next {
        case run(WorkItem)
        case retry
        case exit
    }

    private func workLoop() {
        while true {
            state.withLock { $0.idle += 1 }
            workAvailable.wait()
            let next: Next = state.withLock { s in
                s.idle -= 1
                if let item = s.queue.popFirst() { return .run(item) }
                guard s.isShutdown else { return .retry }  // not expected; be safe
                s.threads -= 1
                return .exit
            }
            switch next {
            case .run(let item): item.run()
            case .retry: continue
            case .exit: return
            }
        }
    }

    /// Stops accepting work and wakes every worker so it exits once the queue is empty.
    func shutdown(wait: Bool, cancelFutures: Bool) {
        let dropped: [WorkItem] = state.withLock { s in
            let dropped = cancelFutures ? s.queue.removeAll() : []
            if !s.isShutdown {
                s.isShutdown = true
                for _ in 0..<s.threads { workAvailable.signal() }
            }
            return dropped
        }
        for item in dropped { item.cancel() }
        if wait { Ambient.blocking { workers.wait() } }
    }
}
