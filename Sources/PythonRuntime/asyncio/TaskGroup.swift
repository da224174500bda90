import Futures

extension asyncio {
    /// `asyncio.TaskGroup()` (3.11), as `asyncio.taskGroup { group in ... }` runs it: the tasks
    /// made with `group.createTask` are all done when `taskGroup` returns. The first task that
    /// fails cancels the others and the body's task; their errors are then thrown together
    /// as an `ExceptionGroup`.
    public final class TaskGroup: Sendable {
        private let loop: asyncio.EventLoop
        private let parent: asyncio.AnyTask
        private struct State {
            var exiting = false
            var aborting = false
            var parentCancelRequested = false
            var tasks: [ObjectIdentifier: asyncio.AnyTask] = [:]
            var errors: [any Error] = []
            var onCompleted: asyncio.Future<Bool>?
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        private let state = LoopBound(State())

        init(parent: asyncio.AnyTask) {
            self.parent = parent
            loop = parent.loop
        }

        /// `tg.create_task(coro)`: starts a task in the group.
        /// - Throws: `RuntimeError` once the group is finished or shutting down.
        @discardableResult
        public func createTask<T: Sendable>(_ coroutine: @escaping asyncio.Coroutine<T>) throws -> asyncio.Task<T> {
            if state.value.exiting, state.value.tasks.isEmpty {
                throw builtins.RuntimeError("TaskGroup \(repr) is finished")
            }
            if state.value.aborting { throw builtins.RuntimeError("TaskGroup \(repr) is shutting down") }
            let task = asyncio.Task(loop: loop, coroutine)
            task.addDoneCallback { [self] _ in taskDone(task) }
            state.value.tasks[ObjectIdentifier(task)] = task
            return task
        }

        private var repr: String {
            var info = [""]
            if !state.value.tasks.isEmpty { info.append("tasks=\(state.value.tasks.count)") }
            if !state.value.errors.isEmpty { info.append("errors=\(state.value.errors.count)") }
            info.append(state.value.aborting ? "cancelling" : "entered")
            return "<TaskGroup\(info.joined(separator: " "))>"
        }

        private func abort() {
            state.value.aborting = true
            for task in state.value.tasks.values where !task.done { task.cancel() }
        }

        private func taskDone(_ task: asyncio.AnyTask) {
            state.value.tasks[ObjectIdentifier(task)] = nil
            if let onCompleted = state.value.onCompleted, state.value.tasks.isEmpty, !onCompleted.done {
                try? onCompleted.setResult(true)
            }
            guard !task.cancelled, let error = task.takeFailure() else { return }
            state.value.errors.append(error)
            if parent.done { return }
            if !state.value.aborting, !state.value.parentCancelRequested {
                abort()
                state.value.parentCancelRequested = true
                parent.cancel()
            }
        }

        /// `__aexit__`: waits for every task, then decides what to raise.
        func exit(with bodyError: (any Error)?) async throws {
            state.value.exiting = true
            var propagateCancellation = bodyError as? asyncio.CancelledError
            if state.value.parentCancelRequested, parent.uncancel() == 0 { propagateCancellation = nil }
            if bodyError != nil, !state.value.aborting { abort() }
            while !state.value.tasks.isEmpty {
                let completed = asyncio.Future<Bool>(loop: loop)
                state.value.onCompleted = completed
                do {
                    _ = try await completed.value
                } catch let cancelled as asyncio.CancelledError {
                    if !state.value.aborting {
                        propagateCancellation = cancelled
                        abort()
                    }
                }
                state.value.onCompleted = nil
            }
            if let propagateCancellation, state.value.errors.isEmpty { throw propagateCancellation }
            if let bodyError, !(bodyError is asyncio.CancelledError) { state.value.errors.append(bodyError) }
            if !state.value.errors.isEmpty {
                throw builtins.ExceptionGroup("unhandled errors in a TaskGroup", state.value.errors)
            }
        }
    }
}

extension asyncio {
    /// `async with asyncio.TaskGroup() as group:` (3.11): runs `body`, then waits for every
    /// task it made with `group.createTask`. If a task fails, the other tasks and the body
    /// are cancelled, and `ExceptionGroup` is thrown with every error (the body's last).
    public static func taskGroup<R: Sendable>(_ body: (asyncio.TaskGroup) async throws -> R) async throws -> R {
        let group = asyncio.TaskGroup(parent: asyncio.AnyTask.running)
        let result: R
        do {
            result = try await body(group)
        } catch {
            try await group.exit(with: error)
            throw error
        }
        try await group.exit(with: nil)
        return result
    }
}
