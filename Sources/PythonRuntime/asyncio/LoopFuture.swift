import Foundation
import Futures

extension asyncio {
    /// What `asyncio.Future` and `asyncio.Task` share, without the result's type: the state,
    /// the done-callbacks, cancelling. Everything here runs on the owning loop's thread, one
    /// callback at a time, so nothing is locked (as in asyncio, these objects are not
    /// thread-safe; other threads reach them through `asyncio.EventLoop.callSoon`).
    public class AnyFuture: @unchecked Sendable {
        // @unchecked: a class others derive from (Future, Task) cannot be checked Sendable;
        // what changes is in `state`, whose every access is checked to be on `loop`'s thread.
        enum Outcome {
            case pending
            case cancelled(message: String?)
            case failed(any Error)
            case succeeded(Any)
        }

        private enum Listener {
            /// `add_done_callback`: scheduled with `call_soon` when the future completes.
            case callback(id: Int, (asyncio.AnyFuture) -> Void)
            /// A suspended task: resumed at completion, so it runs in the next pass.
            case waker(() -> Void)
        }

        private struct State {
            var outcome: Outcome = .pending
            var listeners: [Listener] = []
            var nextCallbackID = 0
            var logTraceback = false
        }

        let loop: asyncio.EventLoop
        /// Everything that changes, on `loop`'s thread only (checked on every access).
        private let state: LoopBound<State>
        /// What a task awaiting it waits on, as the timeline names it.
        let waitKind: ThreadState

        init(loop: asyncio.EventLoop, waitKind: ThreadState = .future) {
            self.loop = loop
            self.waitKind = waitKind
            state = LoopBound(State(), on: loop)
        }

        deinit {
            let last = state.valueWhileDeinitializing
            if last.logTraceback, case .failed(let error) = last.outcome {
                loop.report("\(kindName) exception was never retrieved\nfuture: \(repr(failure: error))\n")
            }
        }

        /// How it finished, or `.pending`.
        var outcome: Outcome { state.value.outcome }

        /// asyncio's `_log_traceback`: failed, and nobody has asked for the exception yet.
        var logTraceback: Bool {
            get { state.value.logTraceback }
            set { state.value.logTraceback = newValue }
        }

        /// "Future" or "Task", for reports.
        var kindName: String { "Future" }

        /// asyncio's repr of a finished future or task in its reports (less the coroutine).
        func repr(failure: any Error) -> String {
            "<\(kindName) finished exception=\(pythonRepr(of: failure))>"
        }

        // MARK: State

        /// `fut.done()`: finished or cancelled.
        public var done: Bool {
            if case .pending = outcome { false } else { true }
        }

        /// `fut.cancelled()`.
        public var cancelled: Bool {
            if case .cancelled = outcome { true } else { false }
        }

        /// The error `await fut` raises, marking it retrieved (`fut.result()`'s error):
        /// `asyncio.CancelledError` if cancelled; nil if it succeeded or is pending.
        func takeFailure() -> (any Error)? {
            switch outcome {
            case .pending, .succeeded: return nil
            case .cancelled(let message): return asyncio.CancelledError(message)
            case .failed(let error):
                logTraceback = false
                return error
            }
        }

        /// `fut.exception()`: the error it finished with, nil if it succeeded.
        /// - Throws: `asyncio.CancelledError` if cancelled, `asyncio.InvalidStateError` if not done.
        public func exception() throws -> (any Error)? {
            switch outcome {
            case .pending: throw asyncio.InvalidStateError("Exception is not set.")
            case .cancelled(let message): throw asyncio.CancelledError(message)
            case .succeeded: return nil
            case .failed: return takeFailure()
            }
        }

        // MARK: Completing

        /// `fut.cancel(msg=None)`: cancels a pending future and schedules its callbacks;
        /// false if it was already done.
        @discardableResult
        public func cancel(_ message: String? = nil) -> Bool {
            cancelFuture(message)
        }

        /// `Future.cancel` itself, which `Task.cancel` overrides.
        final func cancelFuture(_ message: String?) -> Bool {
            logTraceback = false
            return complete(.cancelled(message: message))
        }

        /// `fut.set_exception(exc)`: the future fails with `error`.
        /// - Throws: `asyncio.InvalidStateError` if it is already done.
        public func setException(_ error: any Error) throws {
            guard !done else { throw asyncio.InvalidStateError("invalid state") }
            _ = complete(.failed(error))
            logTraceback = true
        }

        final func complete(_ result: Outcome) -> Bool {
            loop.checkIsolated()
            guard case .pending = outcome else { return false }
            state.value.outcome = result
            let taken = state.value.listeners
            state.value.listeners = []
            for listener in taken {
                switch listener {
                case .callback(_, let fn): loop.callSoon { fn(self) }
                case .waker(let wake): wake()
                }
            }
            return true
        }

        // MARK: Callbacks

        /// `fut.add_done_callback(fn)`: `fn(fut)` runs on the loop in the pass after the future
        /// is done (in the next pass if it already is). Returns an id for `removeDoneCallback`.
        @discardableResult
        public func addDoneCallback(_ fn: @escaping (asyncio.AnyFuture) -> Void) -> Int {
            state.value.nextCallbackID += 1
            let id = state.value.nextCallbackID
            if done {
                loop.callSoon { fn(self) }
            } else {
                state.value.listeners.append(.callback(id: id, fn))
            }
            return id
        }

        /// `fut.remove_done_callback(fn)`, by the id `addDoneCallback` returned.
        public func removeDoneCallback(_ id: Int) {
            state.value.listeners.removeAll { if case .callback(id, _) = $0 { true } else { false } }
        }

        /// Resumes a suspended task when the future completes (which must not have happened yet).
        func addWaker(_ wake: @escaping () -> Void) {
            state.value.listeners.append(.waker(wake))
        }
    }
}

extension asyncio {
    /// `asyncio.Future`: a result that some callback or task will set later; `await fut.value`
    /// suspends the calling task until then. Create it on the loop (`loop.create_future()`).
    public class Future<T: Sendable>: asyncio.AnyFuture, @unchecked Sendable {
        /// `loop.create_future()` on the running loop.
        public convenience init() {
            self.init(loop: asyncio.getRunningLoop())
        }

        override init(loop: asyncio.EventLoop, waitKind: ThreadState = .future) {
            super.init(loop: loop, waitKind: waitKind)
        }

        /// `fut.result()`: the value, or the error it failed with.
        /// - Throws: `asyncio.CancelledError` if cancelled, `asyncio.InvalidStateError` if not done.
        public func result() throws -> T {
            if case .succeeded(let value) = outcome, let value = value as? T { return value }
            if let failure = takeFailure() { throw failure }
            throw asyncio.InvalidStateError("Result is not set.")
        }

        /// `fut.set_result(value)`.
        /// - Throws: `asyncio.InvalidStateError` if it is already done.
        public func setResult(_ value: T) throws {
            guard complete(.succeeded(value)) else { throw asyncio.InvalidStateError("invalid state") }
        }

        /// `await fut`: suspends the calling task until the future is done (not at all if it
        /// is), then returns its result or throws its error. If the task is cancelled while it
        /// waits, the future is cancelled too and `asyncio.CancelledError` is thrown here, once.
        public var value: T {
            get async throws {
                if !done { try await asyncio.AnyTask.running.suspend(on: self) }
                return try result()
            }
        }
    }
}

/// Python's `repr()` of an exception, as asyncio's reports show it: `ValueError('boom')`.
func pythonRepr(of error: any Error) -> String {
    let message = pythonExceptionMessage(of: error)
    let name = pythonExceptionName(of: error)
    guard !message.isEmpty else { return "\(name)()" }
    let quote = message.contains("'") && !message.contains("\"") ? "\"" : "'"
    let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    return "\(name)(\(quote)\(escaped)\(quote))"
}
