import Futures

extension asyncio {
    /// `asyncio.TaskGroup()` (3.11), as `asyncio.taskGroup { group in ... }` runs it: the tasks
    /// made with `group.createTask` are all done when `taskGroup` returns. The first task that
    /// fails cancels the others and the body's task; their errors are then thrown together
    /// as an `ExceptionGroup`.
    public final class TaskGroup: @unchecked Sendable {
        // @unchecked: only touched on the owning loop's thread.
        private let loop: asyncio.EventLoop
        private let parent: asyncio.AnyTask
        private var exiting = false
        private var aborting = false
        private var parentCancelRequested = false
        private var tasks: [ObjectIdentifier: asyncio.AnyTask] = [:]
        private var errors: [any Error] = []
        private var onCompleted: asyncio.Future<Bool>?

        init(parent: asyncio.AnyTask) {
            self.parent = parent
            loop = parent.loop
        }

        /// `tg.create_task(coro)`: starts a task in the group.
        /// - Throws: `RuntimeError` once the group is finished or shutting down.
        @discardableResult
        public func createTask<T: Sendable>(_ coroutine: @escaping asyncio.Coroutine<T>) throws -> asyncio.Task<T> {
            if exiting, tasks.isEmpty { throw PythonError("RuntimeError", "TaskGroup \(repr) is finished") }
            if aborting { throw PythonError("RuntimeError", "TaskGroup \(repr) is shutting down") }
            let task = asyncio.Task(loop: loop, coroutine)
            task.addDoneCallback { [self] _ in taskDone(task) }
            tasks[ObjectIdentifier(task)] = task
            return task
        }

        private var repr: String {
            var info = [""]
            if !tasks.isEmpty { info.append("tasks=\(tasks.count)") }
            if !errors.isEmpty { info.append("errors=\(errors.count)") }
            info.append(aborting ? "cancelling" : "entered")
            return "<TaskGroup\(info.joined(separator: " "))>"
        }

        private func abort() {
            aborting = true
            for task in tasks.values where !task.done { task.cancel() }
        }

        private func taskDone(_ task: asyncio.AnyTask) {
            tasks[ObjectIdentifier(task)] = nil
            if let onCompleted, tasks.isEmpty, !onCompleted.done { try? onCompleted.setResult(true) }
            guard !task.cancelled, let error = task.takeFailure() else { return }
            errors.append(error)
            if parent.done { return }
            if !aborting, !parentCancelRequested {
                abort()
                parentCancelRequested = true
                parent.cancel()
            }
        }

        /// `__aexit__`: waits for every task, then decides what to raise.
        func exit(with bodyError: (any Error)?) async throws {
            exiting = true
            var propagateCancellation = bodyError as? asyncio.CancelledError
            if parentCancelRequested, parent.uncancel() == 0 { propagateCancellation = nil }
            if bodyError != nil, !aborting { abort() }
            while !tasks.isEmpty {
                let completed = asyncio.Future<Bool>(loop: loop)
                onCompleted = completed
                do {
                    _ = try await completed.value
                } catch let cancelled as asyncio.CancelledError {
                    if !aborting {
                        propagateCancellation = cancelled
                        abort()
                    }
                }
                onCompleted = nil
            }
            if let propagateCancellation, errors.isEmpty { throw propagateCancellation }
            if let bodyError, !(bodyError is asyncio.CancelledError) { errors.append(bodyError) }
            if !errors.isEmpty { throw ExceptionGroup("unhandled errors in a TaskGroup", errors) }
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
