import Futures
import Glibc

/// asyncio's event loop on Swift concurrency: a custom executor that runs every job of the
/// cell's tasks, one at a time, on the one thread that called `AsyncIO.run` (as `asyncio.run`
/// runs its loop on the calling thread). It is a `TaskExecutor`, so a task that prefers it
/// keeps all its nonisolated async code, and that of its child tasks and task groups, on
/// this thread; and a `SerialExecutor`, so "on the loop" can be checked like an actor's
/// isolation. Sleeping is a timer in the loop's heap that resumes a continuation: no thread
/// is parked per wait. Make one with `AsyncIO.run`, one per cell run.
public final class EventLoop: SerialExecutor, TaskExecutor, @unchecked Sendable {
    // @unchecked: `state` is only touched with `signal`'s lock held; `owner` never changes.

    /// The loop running the current task (set by `AsyncIO.run`, inherited by its tasks).
    @TaskLocal public static var current: EventLoop?

    private struct State {
        var ready: [UnownedJob] = []
        var timers = TimerHeap()
        var nextTaskID: UInt64 = 0
        /// Tasks made by `spawn` that have not finished, with how to cancel each.
        var spawned: [UInt64: (@Sendable () -> Void)?] = [:]
        var mainFinished = false
        var leftoversCancelled = false
    }

    private let signal = LoopSignal()
    private var state = State()
    private let owner = pthread_self()
    /// Where `AsyncIO.toThread` runs blocking calls (asyncio's default executor); its
    /// threads start only when something is submitted.
    let defaultExecutor = ThreadPoolExecutor(threadNamePrefix: "asyncio")

    init() {}

    /// Whether the caller runs on this loop's thread.
    public var isCurrentThread: Bool { isSameThread(pthread_self(), owner) }

    // MARK: Executor

    /// `SerialExecutor`: queues a job of the loop's coroutines; only the loop thread runs it.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        signal.withLock {
            state.ready.append(job)
            signal.signal()
        }
    }

    /// `SerialExecutor`: traps unless the caller is the loop's thread.
    public func checkIsolated() {
        precondition(isCurrentThread, "not on the event loop's thread")
    }

    // MARK: Timers

    /// `asyncio.sleep`: suspends the calling task until `seconds` have passed, leaving
    /// the thread to the others. Cancelling the task ends the wait early with `CancellationError`.
    func sleep(_ seconds: Double) async throws {
        let timer = LoopTimer(deadline: monotonicNow() + max(0, seconds))
        try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                arm(timer, continuation)
            }
        } onCancel: {
            disarm(timer)
        }
    }

    private func arm(_ timer: LoopTimer, _ continuation: UnsafeContinuation<Void, any Error>) {
        let cancelledEarly = signal.withLock {
            guard !timer.cancelled else { return true }
            timer.continuation = continuation
            state.timers.push(timer)
            signal.signal()
            return false
        }
        if cancelledEarly { continuation.resume(throwing: CancellationError()) }
    }

    /// Runs on whichever thread cancels the task; the heap entry is dropped when it surfaces.
    private func disarm(_ timer: LoopTimer) {
        let armed: UnsafeContinuation<Void, any Error>? = signal.withLock {
            timer.cancelled = true
            defer { timer.continuation = nil }
            return timer.continuation  // nil: not armed yet (arm sees `cancelled`), or already fired
        }
        armed?.resume(throwing: CancellationError())
    }

    // MARK: Tasks

    /// A task on this loop that starts once the current one awaits (`loop.create_task`).
    /// The loop tracks it: when the main coroutine is done, leftovers are cancelled and
    /// waited for, as `asyncio.run` does.
    func spawn<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        let id = signal.withLock {
            state.nextTaskID += 1
            state.spawned[state.nextTaskID] = .some(nil)
            return state.nextTaskID
        }
        let task = Task(executorPreference: self) { [self] in
            defer { signal.withLock { state.spawned[id] = nil } }
            return try await EventLoop.$current.withValue(self) { try await operation() }
        }
        signal.withLock {
            if state.spawned[id] != nil { state.spawned[id] = .some { task.cancel() } }
        }
        return task
    }

    // MARK: Running

    /// Runs `main` as the loop's first task and serves the loop on the calling thread until
    /// it and every task it spawned are done; then shuts the default executor down.
    func runUntilComplete<T: Sendable>(_ main: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Locked<Result<T, any Error>?>(nil)
        Task(executorPreference: self) { [self] in
            let result: Result<T, any Error>
            do {
                result = .success(try await EventLoop.$current.withValue(self) { try await main() })
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            signal.withLock { state.mainFinished = true }
        }
        serve()
        defaultExecutor.shutdown(wait: true)
        guard let result = outcome.withLock({ $0 }) else {
            preconditionFailure("the event loop stopped before its main task finished")
        }
        return try result.get()
    }

    private struct Batch {
        var jobs: [UnownedJob] = []
        var dueTimers: [UnsafeContinuation<Void, any Error>] = []
        var leftovers: [@Sendable () -> Void] = []
    }

    private func serve() {
        // Collecting the next batch may wait for work; the GIL is released meanwhile, as
        // CPython's loop releases it in `select()`, so `to_thread` workers can run.
        while let batch = Ambient.blocking({ nextBatch() }) {
            for cancel in batch.leftovers { cancel() }
            for timer in batch.dueTimers { timer.resume() }  // enqueues the sleeper's job here
            for job in batch.jobs {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
        }
    }

    /// Waits for work: ready jobs, due timers, or (once the main task is done) leftover tasks
    /// to cancel. `nil` when everything has finished.
    private func nextBatch() -> Batch? {
        signal.withLock {
            var batch = Batch()
            while true {
                if state.mainFinished {
                    if !state.leftoversCancelled {
                        state.leftoversCancelled = true
                        batch.leftovers = state.spawned.values.compactMap { $0 }
                    }
                    if state.ready.isEmpty, state.spawned.isEmpty, batch.leftovers.isEmpty { return nil }
                }
                batch.dueTimers = popDueTimers(now: monotonicNow())
                if !state.ready.isEmpty || !batch.dueTimers.isEmpty || !batch.leftovers.isEmpty {
                    swap(&batch.jobs, &state.ready)
                    return batch
                }
                signal.wait(until: state.timers.first?.deadline)
            }
        }
    }

    /// Takes the timers due by `now` (the lock held), dropping cancelled ones on the way.
    private func popDueTimers(now: Double) -> [UnsafeContinuation<Void, any Error>] {
        var due: [UnsafeContinuation<Void, any Error>] = []
        while let first = state.timers.first {
            guard let continuation = first.continuation else {
                _ = state.timers.popFirst()  // cancelled
                continue
            }
            guard first.deadline <= now else { break }
            _ = state.timers.popFirst()
            first.continuation = nil
            due.append(continuation)
        }
        return due
    }
}
