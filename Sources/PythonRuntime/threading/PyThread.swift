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

    public init(target: @escaping @Sendable () -> Void) {
        self.target = target
        finished.enter()
    }

    public func start() {
        let (target, finished) = (target, finished)
        let context = Ambient.current
        ThreadCache.shared.run(name: "Thread") {
            Ambient.run(in: context, target)
            finished.leave()
        }
    }

    public func join() {
        Ambient.blocking { finished.wait() }
    }
}

/// Python's `threading.Lock` for ports: `withLock` is `with lock:`. A thread that has to
/// wait for it releases its GIL while waiting, as CPython's `Lock.acquire` does, so the
/// holder can run on and release it.
public final class PyLock: Sendable {
    private let lock = NSLock()

    public init() {}

    public func acquire() {
        if lock.try() { return }
        Ambient.blocking { lock.lock() }
    }

    public func release() {
        lock.unlock()
    }

    public func withLock<R>(_ body: () throws -> R) rethrows -> R {
        acquire()
        defer { release() }
        return try body()
    }
}
