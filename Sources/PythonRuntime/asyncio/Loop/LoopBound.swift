import Synchronization
import SystemCalls

/// A value that belongs to the thread of one event loop, in the manner of swift-nio's
/// `NIOLoopBound`: once bound, every access checks that it is made on that thread and stops
/// the program otherwise. State the coroutines of a loop share (the semaphore cell's `active`
/// counter, an `asyncio.Lock`'s waiters) needs no lock, for the reason asyncio's needs none:
/// only the loop's thread runs coroutines, one at a time, and nothing interleaves between two
/// awaits.
///
/// Like asyncio's `_LoopBoundMixin`, a value made outside any running loop (an
/// `asyncio.Lock()` made by a cell's plain statement, before `asyncio.run` or while a
/// notebook's loop serves on a thread of its own) is bound to the first loop that uses it:
/// until then it is used by the thread holding the cell's GIL, one at a time, and not
/// checked. A value made inside a coroutine, or for a given loop, is bound at once.
public final class LoopBound<Value>: @unchecked Sendable {
    // @unchecked: `stored` is read and written only on `owner` once bound (checked on every
    // access), and before that by the thread holding the interpreter's GIL.
    private let owner: Mutex<ThreadIdentity?>
    private var stored: Value

    /// `value`, bound to the running loop's thread when made on it (in a coroutine), else to
    /// the first loop that uses it.
    public init(_ value: Value) {
        owner = Mutex(Self.runningLoopThread)
        stored = value
    }

    /// `value`, bound to `loop`'s thread, made on any thread (a future that an executor's
    /// thread creates for the loop).
    init(_ value: Value, on loop: asyncio.EventLoop) {
        owner = Mutex(loop.thread)
        stored = value
    }

    /// `value`, bound to the calling thread (the loop's own state, made on its thread).
    init(boundHere value: Value) {
        owner = Mutex(.current)
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

    /// The calling thread, when a loop runs on it (a coroutine's step); nil elsewhere.
    private static var runningLoopThread: ThreadIdentity? {
        guard let loop = asyncio.EventLoop.current, loop.thread.isCurrent else { return nil }
        return loop.thread
    }

    private func checkOwner() {
        let bound = owner.withLock { owner -> Bool in
            if let owner { return owner.isCurrent }
            owner = Self.runningLoopThread
            return true
        }
        precondition(bound, "an asyncio object was used off its event loop's thread")
    }
}
