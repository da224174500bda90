import SystemCalls

/// A value that belongs to the thread of one event loop, in the manner of swift-nio's
/// `NIOLoopBound`: every access checks that it is made on that thread and stops the program
/// otherwise. State the coroutines of a loop share (the semaphore cell's `active` counter, an
/// `asyncio.Lock`'s waiters) needs no lock, for the reason asyncio's needs none: only the
/// loop's thread runs coroutines, one at a time, and nothing interleaves between two awaits.
///
/// `asyncio.run` serves its loop on the calling thread, so a value made there (in a
/// coroutine, or on the cell's thread before `asyncio.run`) is bound to its loop's thread.
public final class LoopBound<Value>: @unchecked Sendable {
    // @unchecked: `stored` is read and written only on `owner`, and every access checks it.
    private let owner: ThreadIdentity
    private var stored: Value

    /// `value`, bound to the calling thread (the thread that runs, or will run, the loop).
    public init(_ value: Value) {
        owner = .current
        stored = value
    }

    /// `value`, bound to `loop`'s thread, made on any thread (a future that an executor's
    /// thread creates for the loop).
    init(_ value: Value, on loop: asyncio.EventLoop) {
        owner = loop.thread
        stored = value
    }

    /// The value; read and written on the owning thread only (checked every time).
    public var value: Value {
        get {
            checkOwner()
            return stored
        }
        _modify {
            checkOwner()
            yield &stored
        }
    }

    /// The value without the check, for a `deinit`: nothing else can hold the object then, so
    /// the thread that frees it has it to itself.
    var valueWhileDeinitializing: Value { stored }

    private func checkOwner() {
        precondition(owner.isCurrent, "an asyncio object was used off its event loop's thread")
    }
}
