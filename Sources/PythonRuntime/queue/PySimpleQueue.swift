import Futures

extension queue {
    /// Python's `queue.SimpleQueue`: unbounded, first in first out, without `task_done`/`join`.
    /// `get` waits with the GIL released and throws `queue.Empty` as `queue.Empty()`.
    public final class SimpleQueue<Element: Sendable>: Sendable {
        private let items = Monitor(queue.FIFOStorage<Element>(), waitKind: .queue)

        /// `queue.SimpleQueue()`.
        public init() {}

        /// `SimpleQueue.put(item, block=True, timeout=None)`: never blocks (the arguments are
        /// accepted and ignored, as in CPython).
        public func put(_ item: Element, block: Bool = true, timeout: Double? = nil) {
            items.withLock { $0.put(item) }
        }

        /// `SimpleQueue.put_nowait(item)`.
        public func putNowait(_ item: Element) {
            put(item)
        }

        /// `SimpleQueue.get(block=True, timeout=None)`: as `Queue.get`.
        public func get(block: Bool = true, timeout: Double? = nil) throws -> Element {
            let limit = try queueWaitLimit(block: block, timeout: timeout)
            return try items.wait(timeout: limit, until: { $0.count > 0 }) { storage, some in
                guard some else { throw queue.Empty() }
                return storage.get()
            }
        }

        /// `SimpleQueue.get_nowait()`.
        public func getNowait() throws -> Element {
            try get(block: false)
        }

        /// `SimpleQueue.qsize()`.
        public var qsize: Int { items.withLock { $0.count } }

        /// `SimpleQueue.empty()`.
        public func empty() -> Bool { qsize == 0 }
    }
}
