import Foundation
import Futures

/// State shared between threads, and the one way nbrun's Python look-alikes (and a port
/// that needs a new kind of wait) block on it: `wait(timeout:until:then:)` gives up the
/// calling thread's GIL while it is blocked, as CPython's blocking calls do between
/// `Py_BEGIN_ALLOW_THREADS` and `Py_END_ALLOW_THREADS`, so the thread that will make the
/// wait end (often of the same interpreter) can run meanwhile.
///
///     let ready = Monitor(false)
///     ready.withLock { $0 = true }                               // wakes the waiters
///     let got = ready.wait(timeout: 2, until: { $0 }) { _, ready in ready }
///
/// `threading.Lock`, `RLock`, `Condition`, `Thread.join`, `Event`, `Semaphore`, `Barrier`
/// and `queue`'s queues are all built on it. The GIL is released only when the wait really
/// blocks: a wait whose condition already holds costs one lock round trip, like CPython's
/// uncontended `acquire`. The state's lock is never held while waiting for the GIL, so a
/// thread holding the GIL can always get at the state; `body` runs with the lock held and
/// the GIL possibly released, so it only changes the state (no port code, no waits).
public final class Monitor<State: Sendable>: @unchecked Sendable {
    // @unchecked: `state` and `waiters` are only touched while `condition` is locked.
    private let condition = NSCondition()
    private var state: State
    private var waiters = 0
    /// What a blocked waiter waits on, as the timeline names it.
    private let waitKind: ThreadState

    /// - Parameters:
    ///   - state: the shared state.
    ///   - waitKind: what a thread blocked in `wait` is waiting on, for the timeline
    ///     (`.lock`, `.queue`, `.event`, ...); by default a future.
    public init(_ state: State, waitKind: ThreadState = .future) {
        self.state = state
        self.waitKind = waitKind
    }

    /// Reads or changes the state without blocking, then wakes every waiter to look again.
    public func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        condition.lock()
        defer {
            if waiters > 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(&state)
    }

    /// Waits until `ready(state)` holds or `timeout` seconds pass (`nil`: no limit; zero or
    /// less: just looks), then runs `body` under the lock, told whether `ready` held.
    /// Releases the calling thread's GIL only if it has to block.
    public func wait<R>(
        timeout: Double?, until ready: (State) -> Bool, then body: (inout State, _ ready: Bool) throws -> R
    ) rethrows -> R {
        let deadline = timeout.map { Date(timeIntervalSinceNow: max(0, $0)) }
        condition.lock()
        if ready(state) || (deadline.map { $0 <= Date() } ?? false) {
            defer {
                if waiters > 0 { condition.broadcast() }
                condition.unlock()
            }
            return try body(&state, ready(state))
        }
        condition.unlock()
        return try withWaitKind(waitKind) { try blocking(ready, body, deadline) }
    }

    private func blocking<R>(
        _ ready: (State) -> Bool, _ body: (inout State, _ ready: Bool) throws -> R, _ deadline: Date?
    ) rethrows -> R {
        try Ambient.blocking {
            condition.lock()
            waiters += 1
            defer {
                waiters -= 1
                if waiters > 0 { condition.broadcast() }
                condition.unlock()
            }
            while !ready(state) {
                if let deadline {
                    if !condition.wait(until: deadline) { break }
                } else {
                    condition.wait()
                }
            }
            return try body(&state, ready(state))
        }
    }
}
