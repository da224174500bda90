import Foundation
import Futures
import Glibc
import SystemCalls

extension asyncio {
    /// asyncio's event loop (`asyncio.get_running_loop()`) on Swift concurrency: a custom
    /// executor that runs every job of the cell's tasks, one at a time, on the one thread that
    /// called `asyncio.run` (as `asyncio.run` runs its loop on the calling thread). It is a
    /// `TaskExecutor`, so a task that prefers it keeps all its async code on this thread; and a
    /// `SerialExecutor`, so "on the loop" can be checked like an actor's isolation.
    ///
    /// Like asyncio's, the loop runs in passes: each pass runs the callbacks and task steps that
    /// were ready when it began (`call_soon` order), plus the timers then due; what they make
    /// ready runs in the next pass. A task suspended on a `asyncio.Future` is resumed in the pass
    /// after the future completes, as asyncio's `Task.__wakeup` is. Make one with `asyncio.run`.
    public final class EventLoop: SerialExecutor, TaskExecutor, @unchecked Sendable {
        // @unchecked: `state` is guarded by `signal`'s pthread mutex, a lock Swift cannot see;
        // what else changes is in `LoopBound`s, checked to be on the loop's thread.

        /// The loop running the current task (set by `asyncio.run`, inherited by its tasks).
        @TaskLocal public static var current: asyncio.EventLoop?

        private enum ReadyItem {
            case job(UnownedJob)
            case callback(() -> Void)
            /// A task's bare `yield`: its step runs in this very pass (see `yieldOnePass`).
            case step(UnsafeContinuation<Void, Never>)
        }

        private struct State {
            var ready: [ReadyItem] = []
            var timers = TimerHeap()
            var closed = false
            /// While a `.step` item resumes its task, the job that resuming enqueues, held back
            /// so that the loop runs it at once instead of in the next pass.
            var capturingStep = false
            var capturedStep: UnownedJob?
        }

        private let signal = MonotonicCondition()
        private var state = State()
        /// The thread that runs the loop: the one that called `asyncio.run`.
        let thread = ThreadIdentity.current
        /// Tasks not yet done (asyncio's `all_tasks()`), by identity.
        private let liveTasks = LoopBound(boundHere: [ObjectIdentifier: asyncio.AnyTask]())
        /// Tasks made so far, for their names (`Task-N`).
        private let taskCounter = LoopBound(boundHere: 0)
        /// Where the loop's exception handler writes (asyncio logs to stderr).
        let report: @Sendable (String) -> Void
        /// Where `asyncio.toThread` and `runInExecutor(nil, ...)` run blocking calls (asyncio's
        /// default executor); its threads start only when something is submitted.
        let defaultExecutor = concurrent.futures.ThreadPoolExecutor(threadNamePrefix: "asyncio")

        /// Where its tasks' states are recorded, when the cell records a timeline: one buffer
        /// for the loop, made on the loop's thread (`TaskTimeline`).
        let taskTimeline: TaskTimeline?

        init(report: @escaping @Sendable (String) -> Void) {
            self.report = report
            taskTimeline = PyInterpreter.current?.timeline?.taskTimeline()
        }

        /// Whether the caller runs on this loop's thread.
        public var isCurrentThread: Bool { thread.isCurrent }

        /// `loop.time()`: the loop's clock, `time.monotonic()`.
        public func time() -> Double { monotonicNow() }

        // MARK: Executor

        /// `SerialExecutor`: queues a job of the loop's coroutines; only the loop thread runs it.
        public func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            signal.withLock {
                if state.capturingStep, state.capturedStep == nil, isCurrentThread {
                    state.capturedStep = job
                    return
                }
                state.ready.append(.job(job))
                signal.signal()
            }
        }

        /// `SerialExecutor`: traps unless the caller is the loop's thread.
        public func checkIsolated() {
            precondition(isCurrentThread, "not on the event loop's thread")
        }

        // MARK: Callbacks and timers

        /// `loop.call_soon(fn)` (and `call_soon_threadsafe`): `fn` runs on the loop's thread in
        /// the next pass, after what is already ready. Dropped once the loop has closed.
        func callSoon(_ fn: @escaping () -> Void) {
            signal.withLock {
                guard !state.closed else { return }
                state.ready.append(.callback(fn))
                signal.signal()
            }
        }

        /// Suspends the calling task for exactly one pass (a bare `yield` in a coroutine: the
        /// task's next step is scheduled with `call_soon`, behind what is already ready).
        /// `Task.yield()` would not do: it leaves the loop's executor.
        func yieldOnePass() async {
            await withUnsafeContinuation { continuation in
                signal.withLock {
                    state.ready.append(.step(continuation))
                    signal.signal()
                }
            }
        }

        /// `loop.call_later(delay, fn)`: `fn` runs on the loop's thread once `delay` seconds
        /// have passed, unless the returned timer is cancelled first.
        @discardableResult
        func callLater(_ delay: Double, _ fn: @escaping () -> Void) -> LoopTimer {
            callAt(monotonicNow() + max(0, delay), fn)
        }

        /// `loop.call_at(when, fn)`, `when` on `time()`'s clock.
        @discardableResult
        func callAt(_ when: Double, _ fn: @escaping () -> Void) -> LoopTimer {
            let timer = LoopTimer(deadline: when, action: fn)
            signal.withLock {
                state.timers.push(timer)
                signal.signal()
            }
            return timer
        }

        // MARK: Tasks

        /// Names tasks as asyncio does: `Task-1` is `run`'s main coroutine.
        func register(_ task: asyncio.AnyTask) -> String {
            checkIsolated()
            taskCounter.value += 1
            liveTasks.value[ObjectIdentifier(task)] = task
            return "Task-\(taskCounter.value)"
        }

        /// Counts `count` tasks made elsewhere (a kernel's own, `NotebookLoop`), so the next
        /// task's name counts on from them. On the loop's thread.
        func countTasks(_ count: Int) {
            taskCounter.value += count
        }

        func unregister(_ task: asyncio.AnyTask) {
            liveTasks.value[ObjectIdentifier(task)] = nil
        }

        // MARK: Running

        /// `asyncio.run(main)` once the loop exists: runs `main` as task `Task-1` and serves the
        /// loop on the calling thread until it is done; then cancels the tasks left over and
        /// serves until they are done too, reporting any that failed; then shuts the default
        /// executor down and closes the loop.
        func runUntilComplete<T: Sendable>(_ main: @escaping @Sendable () async throws -> T) throws -> T {
            let task = asyncio.Task(loop: self, main)
            serve(until: { task.done })
            let leftovers = Array(liveTasks.value.values)
            for leftover in leftovers { leftover.cancel() }
            serve(until: { self.liveTasks.value.isEmpty })
            for leftover in leftovers where !leftover.cancelled {
                if let error = leftover.takeFailure() {
                    report(
                        "unhandled exception during asyncio.run() shutdown\ntask: \(leftover.repr(failure: error))\n")
                }
            }
            defaultExecutor.shutdown(wait: true)
            signal.withLock { state.closed = true }
            return try task.result()
        }

        /// Runs passes until `finished()` holds after one. Collecting a pass may wait for work;
        /// the GIL is released meanwhile, as CPython's loop releases it in `select()`, so
        /// `to_thread` workers can run.
        func serve(until finished: () -> Bool) {
            while !finished() {
                let pass = withWaitKind(.io) { Ambient.blocking { nextPass() } }
                for item in pass {
                    switch item {
                    case .job(let job):
                        job.runSynchronously(on: asUnownedTaskExecutor())
                    case .callback(let fn):
                        fn()
                    case .step(let continuation):
                        signal.withLock { state.capturingStep = true }
                        continuation.resume()
                        let job = signal.withLock {
                            defer { (state.capturingStep, state.capturedStep) = (false, nil) }
                            return state.capturedStep
                        }
                        job?.runSynchronously(on: asUnownedTaskExecutor())
                    }
                }
            }
        }

        /// Waits for work: what is ready, then the timers due by now (asyncio's `_run_once`).
        private func nextPass() -> [ReadyItem] {
            signal.withLock {
                while true {
                    var pass: [ReadyItem] = []
                    swap(&pass, &state.ready)
                    let now = monotonicNow()
                    while let first = state.timers.first, first.cancelled || first.deadline <= now {
                        _ = state.timers.popFirst()
                        if let action = first.takeAction() { pass.append(.callback(action)) }
                    }
                    if !pass.isEmpty { return pass }
                    signal.wait(until: state.timers.first?.deadline)
                }
            }
        }
    }
}
