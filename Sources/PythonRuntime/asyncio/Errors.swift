import Futures

extension asyncio {
    /// `asyncio.CancelledError`: thrown once, at the `await` where a cancelled task was
    /// suspended (`task.cancel(msg)` gives it its message). A coroutine may catch it, clean up,
    /// and even `await` again; a task whose coroutine lets it escape ends up cancelled.
    /// A `BaseException`, not an `Exception`, as in Python 3.8 and later.
    public final class CancelledError: BaseException, @unchecked Sendable {
        /// The `msg` given to `cancel`, if any: `exc.args` is `(msg,)`, or `()` without one.
        public let msg: String?

        /// `asyncio.CancelledError(msg)`, or `asyncio.CancelledError()` for nil.
        public override init(_ msg: String? = nil) {
            self.msg = msg
            super.init(msg ?? "")
        }
    }

    /// `asyncio.InvalidStateError`: a future's result asked for too early, or set twice
    /// (CPython's message, e.g. `Result is not set.`).
    public final class InvalidStateError: builtins.Exception, @unchecked Sendable {}

    /// `asyncio.QueueEmpty`, from `asyncio.Queue.getNowait` on an empty queue (no message).
    public final class QueueEmpty: builtins.Exception, @unchecked Sendable {}

    /// `asyncio.QueueFull`, from `asyncio.Queue.putNowait` on a full queue (no message).
    public final class QueueFull: builtins.Exception, @unchecked Sendable {}
}
