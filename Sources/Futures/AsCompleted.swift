import Dispatch
import Foundation

extension concurrent.futures {
    /// Yields `futures` as they finish (or are cancelled), each exactly once, duplicates
    /// dropped: Python's `as_completed(fs)` with no timeout.
    ///
    /// Futures already done come first (in the order given), then the rest in the order
    /// they finish; failed and cancelled futures are yielded too. Iterating blocks.
    /// Waiting starts when iteration starts.
    ///
    ///     for future in concurrent.futures.asCompleted(futures) { print(try future.result()) }
    public static func asCompleted<T>(_ futures: some Sequence<concurrent.futures.Future<T>>)
        -> concurrent.futures.AsCompleted<T>
    {
        concurrent.futures.AsCompleted(futures: Array(futures))
    }
}

extension concurrent.futures {
    /// Like `asCompleted(_:)`, but Python's `as_completed(fs, timeout=...)`: `next()` throws
    /// `TimeoutError()` once `timeout` seconds (counted from this call) pass
    /// before every future has been yielded. A `Sequence` can't throw while iterating,
    /// so this returns a throwing iterator:
    ///
    ///     let completed = concurrent.futures.asCompleted(futures, timeout: 5)
    ///     while let future = try completed.next() { ... }
    ///
    /// `timeout: nil` waits forever (then `next()` never throws).
    public static func asCompleted<T>(
        _ futures: some Sequence<concurrent.futures.Future<T>>, timeout: TimeInterval?
    ) -> concurrent.futures.AsCompletedWithTimeout<T> {
        concurrent.futures.AsCompletedWithTimeout(AsCompletedCore(Array(futures)), deadline: Deadline(timeout: timeout))
    }
}

extension concurrent.futures {
    /// The sequence returned by `concurrent.futures.asCompleted(_:)`.
    public struct AsCompleted<T: Sendable>: Sequence {
        let futures: [concurrent.futures.Future<T>]

        /// Iterates the futures in the order they finish.
        public func makeIterator() -> concurrent.futures.AsCompletedIterator<T> {
            concurrent.futures.AsCompletedIterator(core: AsCompletedCore(futures))
        }
    }
}

extension concurrent.futures {
    /// Iterator of `concurrent.futures.AsCompleted`; `next()` blocks until another future is done.
    public struct AsCompletedIterator<T: Sendable>: IteratorProtocol {
        let core: AsCompletedCore<T>

        /// The next future to finish (blocking, with the GIL released), or nil when all have.
        public mutating func next() -> concurrent.futures.Future<T>? {
            switch core.next(until: .never) {
            case .future(let future): future
            case .exhausted, .timedOut: nil  // no deadline, so never timedOut
            }
        }
    }
}

extension concurrent.futures {
    /// The throwing iterator returned by `concurrent.futures.asCompleted(_:timeout:)`.
    public final class AsCompletedWithTimeout<T: Sendable> {
        private let core: AsCompletedCore<T>
        private let deadline: Deadline

        init(_ core: AsCompletedCore<T>, deadline: Deadline) {
            self.core = core
            self.deadline = deadline
        }

        /// The next finished future, or `nil` once all have been yielded.
        /// - Throws: `TimeoutError()` if the deadline passes first (Python: `TimeoutError`).
        public func next() throws -> concurrent.futures.Future<T>? {
            switch core.next(until: deadline) {
            case .future(let future): return future
            case .exhausted: return nil
            case .timedOut: throw builtins.TimeoutError()
            }
        }
    }
}

/// Shared machinery: one waiter per pending future pushes it onto a finished queue.
final class AsCompletedCore<T: Sendable> {
    /// Filled from whichever thread completes a future, hence the lock.
    private final class Finished: Sendable {
        /// Finished futures in finishing order; `head` is the next one to yield.
        private let queue = Locked<(items: [concurrent.futures.Future<T>], head: Int)>(([], 0))
        let available = DispatchSemaphore(value: 0)  // one signal per pushed future

        func push(_ future: concurrent.futures.Future<T>) {
            queue.withLock { $0.items.append(future) }
            available.signal()
        }

        /// Only after a successful `available.wait()`, so there is one to take.
        func pop() -> concurrent.futures.Future<T> {
            queue.withLock { q in
                defer { q.head += 1 }
                return q.items[q.head]
            }
        }
    }

    private var ready: [concurrent.futures.Future<T>] = []  // done at start, yielded first
    private var readyIndex = 0
    private var pendingLeft: Int
    private var registrations: [(future: concurrent.futures.Future<T>, id: UInt64)] = []
    private let finished = Finished()

    init(_ futures: [concurrent.futures.Future<T>]) {
        let unique = distinct(futures)
        for future in unique {
            if let id = future.addWaiter({ [finished] in finished.push(future) }) {
                registrations.append((future, id))
            } else {
                ready.append(future)
            }
        }
        pendingLeft = registrations.count
    }

    deinit {
        // Abandoned early (break or timeout): unhook from futures still running.
        for (future, id) in registrations { future.removeWaiter(id) }
    }

    enum Step {
        case future(concurrent.futures.Future<T>)
        case exhausted
        case timedOut
    }

    func next(until deadline: Deadline) -> Step {
        if readyIndex < ready.count {
            defer { readyIndex += 1 }
            return .future(ready[readyIndex])
        }
        guard pendingLeft > 0 else { return .exhausted }
        let signalled = Ambient.blocking { finished.available.wait(timeout: deadline.time) }
        guard signalled == .success else { return .timedOut }
        pendingLeft -= 1
        return .future(finished.pop())
    }
}
