extension asyncio {
    /// What every `asyncio.Task` has, whatever its result type: a name and asyncio's own
    /// cancellation state. Swift's task cancellation is not used: it is sticky (every later
    /// wait would throw at once), where asyncio's is one-shot. Here, as in CPython's
    /// `Task.cancel`, cancelling a task that waits on a future cancels that future, which
    /// wakes the task with `asyncio.CancelledError` at that one `await`; a task that is not waiting
    /// (ready to run, or not started) gets it at its next step instead (`_must_cancel`).
    public class AnyTask: asyncio.AnyFuture, @unchecked Sendable {
        // @unchecked: a class Task derives from cannot be checked Sendable; `name` is set once,
        // in `init`, before anything else can see the task, and what changes is in `taskState`,
        // checked to be on `loop`'s thread.

        /// The task whose coroutine is running (`asyncio.current_task()`).
        @TaskLocal static var current: asyncio.AnyTask?

        /// `task.get_name()`: `Task-1` for `asyncio.run`'s main coroutine, then `Task-2`, ...
        public private(set) var name = ""
        private struct State {
            var mustCancel = false
            var cancelMessage: String?
            var cancelsRequested = 0
            /// The future the task is suspended on (`_fut_waiter`), kept until the task next runs.
            var waitingOn: asyncio.AnyFuture?
            /// The task's row in its loop's task timeline, when one is recorded.
            var timelineRow: Int32?
        }

        /// Everything that changes, on `loop`'s thread only (checked on every access).
        private let taskState: LoopBound<State>

        init(loop: asyncio.EventLoop) {
            taskState = LoopBound(State(), on: loop)
            super.init(loop: loop, waitKind: .future)
            name = loop.register(self)
            taskState.value.timelineRow = loop.taskTimeline?.addTask(named: name)
        }

        /// The timeline: the task now runs a step, waits on a future, or is done.
        func recordTimeline(_ state: ThreadState) {
            if let row = taskState.value.timelineRow {
                loop.taskTimeline?.append(task: row, state, at: TimelineRecorder.now())
            }
        }

        override var kindName: String { "Task" }

        override func repr(failure: any Error) -> String {
            "<Task finished name='\(name)' exception=\(pythonRepr(of: failure))>"
        }

        /// The task running the caller; a precondition that there is one, as asyncio's
        /// awaitables need one.
        static var running: asyncio.AnyTask {
            guard let task = current else { preconditionFailure("await outside a task: call this inside asyncio.run") }
            return task
        }

        // MARK: Cancelling (asyncio.Task's)

        /// `task.cancel(msg=None)`: asks the task to stop. If it waits on a future, that future
        /// is cancelled and the task gets `asyncio.CancelledError` at its `await`; otherwise it gets it
        /// at the next step. False if the task is already done.
        @discardableResult
        public override func cancel(_ message: String? = nil) -> Bool {
            logTraceback = false
            if done { return false }
            taskState.value.cancelsRequested += 1
            if let waitingOn = taskState.value.waitingOn, waitingOn.cancel(message) { return true }
            taskState.value.mustCancel = true
            taskState.value.cancelMessage = message
            return true
        }

        /// `task.cancelling()`: how many cancellation requests are pending (3.11).
        public func cancelling() -> Int { taskState.value.cancelsRequested }

        /// `task.uncancel()`: withdraws one cancellation request; returns how many remain (3.11).
        @discardableResult
        public func uncancel() -> Int {
            if taskState.value.cancelsRequested > 0 { taskState.value.cancelsRequested -= 1 }
            return taskState.value.cancelsRequested
        }

        // MARK: Stepping

        /// Suspends the task until `future` is done: `yield fut` in `concurrent.futures.Future.__await__`, then
        /// `Task.__wakeup` and `__step`. Throws the future's error, or `asyncio.CancelledError` if the
        /// task was cancelled meanwhile and the future did not carry it.
        func suspend(on future: asyncio.AnyFuture) async throws {
            taskState.value.waitingOn = future
            recordTimeline(future.waitKind)
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                future.addWaker { continuation.resume() }
                if taskState.value.mustCancel, future.cancel(taskState.value.cancelMessage) {
                    taskState.value.mustCancel = false
                }
            }
            taskState.value.waitingOn = nil
            recordTimeline(.running)
            var failure = future.takeFailure()
            if taskState.value.mustCancel {
                taskState.value.mustCancel = false
                if !(failure is asyncio.CancelledError) {
                    failure = asyncio.CancelledError(taskState.value.cancelMessage)
                }
            }
            if let failure { throw failure }
        }

        /// A bare `yield` (`asyncio.sleep(0)`): gives the loop exactly one pass, then throws
        /// `asyncio.CancelledError` if the task was cancelled meanwhile.
        func yieldOnce() async throws {
            await loop.yieldOnePass()
            try checkMustCancel()
        }

        /// The start of a step: a pending cancellation is raised here, once.
        func checkMustCancel() throws {
            guard taskState.value.mustCancel else { return }
            taskState.value.mustCancel = false
            throw asyncio.CancelledError(taskState.value.cancelMessage)
        }

        /// The coroutine returned (or threw) while a cancellation was pending: the task ends
        /// cancelled all the same (`__step`'s `StopIteration` branch).
        func finishPendingCancel() -> Bool {
            guard taskState.value.mustCancel else { return false }
            taskState.value.mustCancel = false
            return cancelFuture(taskState.value.cancelMessage)
        }
    }
}

extension asyncio {
    /// `asyncio.Task`: a coroutine running on the loop, made by `asyncio.createTask`. It starts
    /// in the loop's next pass; `await task.value` waits for its result.
    public final class Task<T: Sendable>: asyncio.AnyTask, @unchecked Sendable {
        // @unchecked: AnyTask's conformance, restated; Task stores nothing of its own.

        init(loop: asyncio.EventLoop, _ coroutine: @escaping @Sendable () async throws -> T) {
            super.init(loop: loop)
            _Concurrency.Task(executorPreference: loop) { [self] in
                await asyncio.EventLoop.$current.withValue(loop) {
                    await asyncio.AnyTask.$current.withValue(self) { await run(coroutine) }
                }
            }
        }

        private func run(_ coroutine: @escaping @Sendable () async throws -> T) async {
            recordTimeline(.running)
            defer { recordTimeline(.idle) }
            do {
                try checkMustCancel()  // cancelled before it started: the body never runs
                let value = try await coroutine()
                if !finishPendingCancel() { _ = complete(.succeeded(value)) }
            } catch let cancelled as asyncio.CancelledError {
                _ = cancelFuture(cancelled.msg)
            } catch {
                try? setException(error)
            }
            loop.unregister(self)
        }

        /// `task.result()`: the value, or the error it failed with.
        /// - Throws: `asyncio.CancelledError` if cancelled, `asyncio.InvalidStateError` if not done.
        public func result() throws -> T {
            if case .succeeded(let value) = outcome, let value = value as? T { return value }
            if let failure = takeFailure() { throw failure }
            throw asyncio.InvalidStateError("Result is not set.")
        }

        /// `await task`: suspends the calling task until this one is done, then returns its
        /// result or throws its error. Cancelling the caller meanwhile cancels this task too.
        public var value: T {
            get async throws {
                if !done { try await asyncio.AnyTask.running.suspend(on: self) }
                return try result()
            }
        }
    }
}
