/// What a thread (or an asyncio task) of a cell is doing, as a timeline draws it.
///
/// The waits are named after the Python object waited on, as the look-alike that blocks
/// knows it (`Monitor(_:waitKind:)`, `withWaitKind`); a wait nothing names (a Futures wait,
/// `Ambient.blocking`) is a wait on a future.
public enum ThreadState: UInt8, Sendable, CaseIterable {
    /// Running Python: holding the GIL.
    case running
    /// Asking for the GIL, held by another thread.
    case gilWait
    /// `time.sleep`, `asyncio.sleep`.
    case sleep
    /// Blocked in I/O: the event loop's `select()`.
    case io
    case lock, condition, semaphore, barrier, event, queue, join, future
    /// Running native code with the GIL released (`releasingGIL { }`).
    case outsideGIL
    /// Not in the interpreter at all (not started, finished, or between tasks).
    case idle

    /// How the picture colours it.
    public enum Category: String, Sendable, CaseIterable {
        case running, gilWait, sleeping, waiting, outsideGIL
    }

    /// The colour class; nil for `idle`, which is not drawn.
    public var category: Category? {
        switch self {
        case .running: .running
        case .gilWait: .gilWait
        case .sleep, .io: .sleeping
        case .lock, .condition, .semaphore, .barrier, .event, .queue, .join, .future: .waiting
        case .outsideGIL: .outsideGIL
        case .idle: nil
        }
    }

    /// A short label: `running`, `GIL wait`, `sleep`, `wait lock`, ...
    public var label: String {
        switch self {
        case .running: "running"
        case .gilWait: "GIL wait"
        case .sleep: "sleep"
        case .io: "I/O"
        case .outsideGIL: "outside GIL"
        case .idle: "idle"
        default: "wait \(self)"
        }
    }
}
