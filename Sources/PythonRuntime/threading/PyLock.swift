import Foundation
import Futures

/// Python's `threading.Lock`: not owned by a thread, so any thread may release it (unlike a
/// pthread mutex). A thread that has to wait for it releases its GIL meanwhile, as CPython's
/// `Lock.acquire` does, so the holder can run on and release it. `withLock` is `with lock:`.
public final class PyLock: Sendable {
    private let isLocked = Monitor(false, waitKind: .lock)

    public init() {}

    /// `Lock.acquire(blocking=True, timeout=-1)`: true once acquired; false if `blocking` is
    /// false and the lock is taken, or if `timeout` seconds (-1: no limit) pass first.
    /// CPython's `ValueError`s for a timeout with `blocking=False` or a negative timeout
    /// other than -1 stop the port, which has a bug.
    @discardableResult
    public func acquire(blocking: Bool = true, timeout: Double = -1) -> Bool {
        isLocked.wait(timeout: waitLimit(blocking: blocking, timeout: timeout), until: { !$0 }) { locked, free in
            if free { locked = true }
            return free
        }
    }

    /// `Lock.release()`; throws `RuntimeError: release unlocked lock` if it is not locked.
    public func release() throws {
        try isLocked.withLock { locked in
            guard locked else { throw PythonError("RuntimeError", "release unlocked lock") }
            locked = false
        }
    }

    /// `Lock.locked()`.
    public var locked: Bool { isLocked.withLock { $0 } }

    /// `with lock:`: runs `body` holding the lock, and releases it however `body` ends.
    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        acquire()
        defer { releaseAfterWith() }
        return try body()
    }

    private func releaseAfterWith() {
        isLocked.withLock { locked in
            precondition(locked, "RuntimeError: release unlocked lock (the body of `with lock:` released it)")
            locked = false
        }
    }
}

/// The `Monitor` timeout for CPython's `acquire(blocking, timeout)` pair: nil waits forever,
/// 0 only tries. The argument checks are CPython's (`_thread` lock_acquire_parse_args).
func waitLimit(blocking: Bool, timeout: Double) -> Double? {
    if !blocking {
        precondition(timeout == -1, "ValueError: can't specify a timeout for a non-blocking call")
        return 0
    }
    if timeout == -1 { return nil }
    precondition(timeout >= 0, "ValueError: timeout value must be positive")
    return timeout
}
