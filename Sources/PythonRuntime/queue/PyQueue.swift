import Futures

extension queue {
    /// Python's `queue.Queue(maxsize=0)`: first in, first out.
    public typealias Queue<Element: Sendable> = queue.QueueBase<queue.FIFOStorage<Element>>
}
extension queue {
    /// Python's `queue.LifoQueue(maxsize=0)`: last in, first out.
    public typealias LifoQueue<Element: Sendable> = queue.QueueBase<queue.LIFOStorage<Element>>
}
extension queue {
    /// Python's `queue.PriorityQueue(maxsize=0)`: smallest first (ties as `heapq` breaks them).
    public typealias PriorityQueue<Element: Comparable & Sendable> = queue.QueueBase<queue.HeapStorage<Element>>
}

extension queue {
    /// Python's `queue.Queue` with its `_put`/`_get` given by `Storage`: the blocking, bounded,
    /// task-counting queue behind `queue.Queue`, `queue.LifoQueue` and `queue.PriorityQueue`. Every wait
    /// releases the GIL while it blocks. `get` throws `queue.Empty` and `put` `queue.Full` as
    /// `queue.Empty()` and `queue.Full()`.
    public final class QueueBase<Storage: queue.QueueStorage>: Sendable {
        /// The items' type.
        public typealias Element = Storage.Element

        private struct State: Sendable {
            var items = Storage()
            var unfinishedTasks = 0
        }

        /// `Queue.maxsize`: at most this many items (zero or less: no bound).
        public let maxsize: Int
        private let state = Monitor(State(), waitKind: .queue)

        /// `queue.Queue(maxsize=0)`: 0 (or less) is unbounded.
        public init(maxsize: Int = 0) {
            self.maxsize = maxsize
        }

        /// `Queue.put(item, block=True, timeout=None)`: waits while the queue is full (at most
        /// `timeout` seconds), then adds `item`; throws `Full` if it is still full (at once
        /// when `block` is false), `ValueError` for a negative timeout.
        public func put(_ item: Element, block: Bool = true, timeout: Double? = nil) throws {
            let maxsize = maxsize
            // CPython looks at the timeout only for a bounded queue: an unbounded one never waits.
            let limit = maxsize > 0 ? try queueWaitLimit(block: block, timeout: timeout) : 0
            try state.wait(timeout: limit, until: { maxsize <= 0 || $0.items.count < maxsize }) { s, room in
                guard room else { throw queue.Full() }
                s.items.put(item)
                s.unfinishedTasks += 1
            }
        }

        /// `Queue.put_nowait(item)`.
        public func putNowait(_ item: Element) throws {
            try put(item, block: false)
        }

        /// `Queue.get(block=True, timeout=None)`: waits for an item (at most `timeout` seconds)
        /// and removes it; throws `Empty` if none came (at once when `block` is false),
        /// `ValueError` for a negative timeout.
        public func get(block: Bool = true, timeout: Double? = nil) throws -> Element {
            let limit = try queueWaitLimit(block: block, timeout: timeout)
            return try state.wait(timeout: limit, until: { $0.items.count > 0 }) { s, some in
                guard some else { throw queue.Empty() }
                return s.items.get()
            }
        }

        /// `Queue.get_nowait()`.
        public func getNowait() throws -> Element {
            try get(block: false)
        }

        /// `Queue.task_done()`: one item taken earlier is processed; `join()` returns when all
        /// are. Throws `ValueError: task_done() called too many times` past the items put.
        public func taskDone() throws {
            try state.withLock { s in
                guard s.unfinishedTasks > 0 else {
                    throw builtins.ValueError("task_done() called too many times")
                }
                s.unfinishedTasks -= 1
            }
        }

        /// `Queue.join()`: waits until every item put has been marked done with `taskDone()`.
        public func join() {
            state.wait(timeout: nil, until: { $0.unfinishedTasks == 0 }) { _, _ in }
        }

        /// `Queue.qsize()`.
        public var qsize: Int { state.withLock { $0.items.count } }

        /// `Queue.empty()`.
        public func empty() -> Bool { qsize == 0 }

        /// `Queue.full()`: true when bounded and at its bound.
        public func full() -> Bool {
            let maxsize = maxsize
            return state.withLock { maxsize > 0 && $0.items.count >= maxsize }
        }
    }
}

/// The `Monitor` timeout for `queue`'s `(block, timeout)`: 0 when not blocking (CPython
/// ignores the timeout then), and its `ValueError` for a negative one.
func queueWaitLimit(block: Bool, timeout: Double?) throws -> Double? {
    guard block else { return 0 }
    if let timeout, timeout < 0 {
        throw builtins.ValueError("'timeout' must be a non-negative number")
    }
    return timeout
}
