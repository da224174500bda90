/// State the coroutines of one event loop share, such as the semaphore cell's `active`
/// counter. It needs no lock, for the reason asyncio's needs none: only the loop's thread
/// runs coroutines, one at a time, and nothing can interleave between two awaits. Every
/// access checks that it is made on that thread.
public final class LoopOwned<Value>: @unchecked Sendable {
    // @unchecked: `stored` is only touched on `loop`'s thread (checked on every access).
    private let loop: asyncio.EventLoop
    private var stored: Value

    /// Made inside `asyncio.run`, owned by the running loop.
    public init(_ value: Value) {
        loop = asyncio.getRunningLoop()
        stored = value
        loop.checkIsolated()
    }

    /// The value; read and written on the loop thread only (checked).
    public var value: Value {
        get {
            loop.checkIsolated()
            return stored
        }
        set {
            loop.checkIsolated()
            stored = newValue
        }
    }
}
