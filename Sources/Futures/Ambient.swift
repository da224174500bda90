import Foundation

/// What code on a thread runs "inside", carried by this library from the thread that
/// submits a task to the thread that runs it.
///
/// Futures knows nothing about what a context is; it only calls these four hooks. nbrun's
/// ports use it for the emulated Python interpreter of a cell, whose GIL a thread takes in
/// `enter` and gives up around blocking waits (CPython's `Py_BEGIN_ALLOW_THREADS`).
///
/// - `enter`/`exit`: on the thread about to run code in this context (a pool worker, just
///   before and after a task submitted under it), from inside `Ambient.run(in:_:)`.
/// - `willBlock`/`didUnblock`: around every wait in this library that can block the calling
///   thread (`concurrent.futures.Future.result()`/`exception()`, `wait`, `asCompleted`, `shutdown(wait: true)`),
///   only when the wait really blocks, and on the blocked thread.
package protocol AmbientContext: AnyObject, Sendable {
    func enter()
    func exit()
    func willBlock()
    func didUnblock()
    /// The number of the next `concurrent.futures.ThreadPoolExecutor` made without a name prefix here, from 0
    /// (Python counts them per process, and names their threads `ThreadPoolExecutor-N_i`).
    /// A context standing for a process of its own counts its own; by default the process's
    /// count is used.
    func nextExecutorNumber() -> Int
}

extension AmbientContext {
    package func nextExecutorNumber() -> Int { Ambient.nextProcessExecutorNumber() }
}

/// The calling thread's ambient context (a thread-local), and the two places this library
/// uses it: running a task under its submitter's context, and announcing blocking waits.
///
///     Ambient.run(in: interpreter) {
///         let future = pool.submit { work() }   // work() runs under `interpreter` too
///         try future.result()                   // willBlock() ... didUnblock() around the wait
///     }
public enum Ambient {
    /// The context installed on the calling thread, `nil` outside any.
    package static var current: (any AmbientContext)? {
        slots.existing?.context
    }

    /// Runs `body` with `context` installed as the calling thread's, between its `enter()`
    /// and `exit()`; the previous context is restored afterwards. `nil` runs `body` as is.
    package static func run<R>(in context: (any AmbientContext)?, _ body: () throws -> R) rethrows -> R {
        guard let context else { return try body() }
        let slot = currentSlot()
        let previous = slot.context
        slot.context = context
        context.enter()
        defer {
            context.exit()
            slot.context = previous
        }
        return try body()
    }

    /// Runs `body`, a wait that may block the calling thread, between the current context's
    /// `willBlock()` and `didUnblock()`. Code outside this library that blocks (a sleep, a
    /// thread join, a contended lock) announces itself the same way.
    public static func blocking<R>(_ body: () throws -> R) rethrows -> R {
        guard let context = current else { return try body() }
        context.willBlock()
        defer { context.didUnblock() }
        return try body()
    }

    /// The number the calling thread's context gives the next unnamed executor (the
    /// process's count outside any context).
    static func nextExecutorNumber() -> Int {
        current?.nextExecutorNumber() ?? nextProcessExecutorNumber()
    }

    /// Python's `concurrent.futures.ThreadPoolExecutor._counter`, for the whole process.
    static func nextProcessExecutorNumber() -> Int {
        processExecutors.withLock { count in
            defer { count += 1 }
            return count
        }
    }

    private static let processExecutors = Locked(0)

    // MARK: The thread-local slot

    /// One per thread that ever installed a context; only that thread touches it.
    private final class Slot {
        var context: (any AmbientContext)?
    }

    /// The calling thread's slot, released when the thread exits.
    private static let slots = ThreadLocal.processWide { Slot() }

    private static func currentSlot() -> Slot {
        slots.current
    }
}
