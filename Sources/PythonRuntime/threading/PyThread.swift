import Dispatch
import Foundation
import Futures

/// Python's `threading.Thread(target=...)`: `start()` runs `target` on an OS thread of its
/// own (an idle one from Futures' `ThreadCache` when there is one: a thousand notebooks'
/// ports start thousands of threads); `join()` blocks until it has returned (any number of
/// times).
///
/// The thread runs inside the interpreter of the thread that started it (more generally,
/// under its `Ambient` context), so it takes that interpreter's GIL like a Python thread;
/// `join()` releases the GIL while it waits.
public final class PyThread {
    private let target: @Sendable () -> Void
    private let finished = DispatchGroup()

    /// `threading.Thread(target=target)`: not started yet.
    public init(target: @escaping @Sendable () -> Void) {
        self.target = target
        finished.enter()
    }

    /// `Thread.start()`: runs `target` on its own OS thread, in the caller's interpreter.
    public func start() {
        let (target, finished) = (target, finished)
        let context = Ambient.current
        ThreadCache.shared.run(name: "Thread") {
            Ambient.run(in: context, target)
            finished.leave()
        }
    }

    /// `Thread.join()`: waits until `target` has returned, with the GIL released meanwhile.
    public func join() {
        Ambient.blocking { finished.wait() }
    }
}

/// Python's `threading.Lock` for ports: `withLock` is `with lock:`. A thread that has to
/// wait for it releases its GIL while waiting, as CPython's `Lock.acquire` does, so the
/// holder can run on and release it.
public final class PyLock: Sendable {
    private let lock = NSLock()

    /// `threading.Lock()`: unlocked.
    public init() {}

    /// `Lock.acquire()`: waits (GIL released) until the lock is free, then takes it.
    public func acquire() {
        if lock.try() { return }
        Ambient.blocking { lock.lock() }
    }

    /// `Lock.release()`: frees the lock; only the thread that took it may.
    public func release() {
        lock.unlock()
    }

    /// `with lock:`: runs `body` holding the lock, released however `body` exits.
    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        acquire()
        defer { release() }
        return try body()
    }
}
