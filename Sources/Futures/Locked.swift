import Foundation

/// A value that is only read or written while holding a lock. Public because the code
/// that uses this library (demo ports, the engine) needs the same TSan-visible lock.
///
/// Why not `Synchronization.Mutex`: on Linux it is a futex lock that ThreadSanitizer
/// cannot see, so every access made under it is reported as a data race. `NSLock` wraps
/// a pthread mutex, which ThreadSanitizer understands, so real races stay visible.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is private and only touched inside `withLock`, while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    /// Guards `value`.
    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, holding the lock (Python's `with lock:` around shared state).
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
