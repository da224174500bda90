import Futures

extension asyncio {
    /// `asyncio.Queue(maxsize=0)`: first in, first out, for coroutines of one loop. `get`
    /// waits while it is empty, `put` while it is full (never, for `maxsize <= 0`); waiters
    /// are served in arrival order. `taskDone` and `join` count the items still being handled.
    public final class Queue<Element: Sendable>: @unchecked Sendable {
        // @unchecked: only touched on the owning loop's thread.
        /// `q.maxsize`.
        public let maxsize: Int
        private var items: [Element] = []
        private var head = 0
        private var getters: [asyncio.Future<Bool>] = []
        private var putters: [asyncio.Future<Bool>] = []
        private var unfinishedTasks = 0
        private let finished = asyncio.Event()
        private var binding = LoopBinding()

        /// `asyncio.Queue(maxsize=0)`: `maxsize <= 0` is unbounded.
        public init(maxsize: Int = 0) {
            self.maxsize = maxsize
            finished.set()
        }

        /// `q.qsize()`.
        public var qsize: Int { items.count - head }
        /// `q.empty()`.
        public var empty: Bool { qsize == 0 }
        /// `q.full()`.
        public var full: Bool { maxsize > 0 && qsize >= maxsize }

        /// `await q.put(item)`: waits while the queue is full.
        public func put(_ item: Element) async throws {
            while full {
                let putter = asyncio.Future<Bool>(loop: try binding.loop(for: self, "Queue"), waitKind: .queue)
                putters.append(putter)
                do {
                    _ = try await putter.value
                } catch {
                    putter.cancel()
                    putters.removeAll { $0 === putter }
                    if !full, !putter.cancelled { wakeUpNext(&putters) }
                    throw error
                }
            }
            try putNowait(item)
        }

        /// `q.put_nowait(item)`.
        /// - Throws: `asyncio.QueueFull` if the queue is full.
        public func putNowait(_ item: Element) throws {
            guard !full else { throw asyncio.QueueFull() }
            items.append(item)
            unfinishedTasks += 1
            finished.clear()
            wakeUpNext(&getters)
        }

        /// `await q.get()`: the oldest item, waiting while the queue is empty.
        public func get() async throws -> Element {
            while empty {
                let getter = asyncio.Future<Bool>(loop: try binding.loop(for: self, "Queue"), waitKind: .queue)
                getters.append(getter)
                do {
                    _ = try await getter.value
                } catch {
                    getter.cancel()
                    getters.removeAll { $0 === getter }
                    if !empty, !getter.cancelled { wakeUpNext(&getters) }
                    throw error
                }
            }
            return try getNowait()
        }

        /// `q.get_nowait()`.
        /// - Throws: `asyncio.QueueEmpty` if the queue is empty.
        public func getNowait() throws -> Element {
            guard !empty else { throw asyncio.QueueEmpty() }
            let item = items[head]
            head += 1
            if head > 32, head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            wakeUpNext(&putters)
            return item
        }

        /// `q.task_done()`: one item taken earlier has been handled.
        /// - Throws: `ValueError('task_done() called too many times')`.
        public func taskDone() throws {
            guard unfinishedTasks > 0 else { throw PythonError("ValueError", "task_done() called too many times") }
            unfinishedTasks -= 1
            if unfinishedTasks == 0 { finished.set() }
        }

        /// `await q.join()`: waits until every item put has been handled (`taskDone`).
        public func join() async throws {
            if unfinishedTasks > 0 { try await finished.wait() }
        }

        private func wakeUpNext(_ waiters: inout [asyncio.Future<Bool>]) {
            while !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                if !waiter.done {
                    try? waiter.setResult(true)
                    break
                }
            }
        }
    }
}
