import Futures

extension asyncio {
    /// `asyncio.Queue(maxsize=0)`: first in, first out, for coroutines of one loop. `get`
    /// waits while it is empty, `put` while it is full (never, for `maxsize <= 0`); waiters
    /// are served in arrival order. `taskDone` and `join` count the items still being handled.
    public final class Queue<Element: Sendable>: Sendable {
        /// `q.maxsize`.
        public let maxsize: Int
        private let finished = asyncio.Event()
        private struct State {
            var items: [Element] = []
            var head = 0
            var getters: [asyncio.Future<Bool>] = []
            var putters: [asyncio.Future<Bool>] = []
            var unfinishedTasks = 0
            var binding = LoopBinding()
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        private let state = LoopBound(State())

        /// `asyncio.Queue(maxsize=0)`: `maxsize <= 0` is unbounded.
        public init(maxsize: Int = 0) {
            self.maxsize = maxsize
            finished.set()
        }

        /// `q.qsize()`.
        public var qsize: Int { state.value.items.count - state.value.head }
        /// `q.empty()`.
        public var empty: Bool { qsize == 0 }
        /// `q.full()`.
        public var full: Bool { maxsize > 0 && qsize >= maxsize }

        /// `await q.put(item)`: waits while the queue is full.
        public func put(_ item: Element) async throws {
            while full {
                let putter = asyncio.Future<Bool>(
                    loop: try state.value.binding.loop(for: self, "Queue"), waitKind: .queue)
                state.value.putters.append(putter)
                do {
                    _ = try await putter.value
                } catch {
                    putter.cancel()
                    state.value.putters.removeAll { $0 === putter }
                    if !full, !putter.cancelled { wakeUpNext(&state.value.putters) }
                    throw error
                }
            }
            try putNowait(item)
        }

        /// `q.put_nowait(item)`.
        /// - Throws: `asyncio.QueueFull` if the queue is full.
        public func putNowait(_ item: Element) throws {
            guard !full else { throw asyncio.QueueFull() }
            state.value.items.append(item)
            state.value.unfinishedTasks += 1
            finished.clear()
            wakeUpNext(&state.value.getters)
        }

        /// `await q.get()`: the oldest item, waiting while the queue is empty.
        public func get() async throws -> Element {
            while empty {
                let getter = asyncio.Future<Bool>(
                    loop: try state.value.binding.loop(for: self, "Queue"), waitKind: .queue)
                state.value.getters.append(getter)
                do {
                    _ = try await getter.value
                } catch {
                    getter.cancel()
                    state.value.getters.removeAll { $0 === getter }
                    if !empty, !getter.cancelled { wakeUpNext(&state.value.getters) }
                    throw error
                }
            }
            return try getNowait()
        }

        /// `q.get_nowait()`.
        /// - Throws: `asyncio.QueueEmpty` if the queue is empty.
        public func getNowait() throws -> Element {
            guard !empty else { throw asyncio.QueueEmpty() }
            let item = state.value.items[state.value.head]
            state.value.head += 1
            if state.value.head > 32, state.value.head * 2 > state.value.items.count {
                state.value.items.removeFirst(state.value.head)
                state.value.head = 0
            }
            wakeUpNext(&state.value.putters)
            return item
        }

        /// `q.task_done()`: one item taken earlier has been handled.
        /// - Throws: `ValueError('task_done() called too many times')`.
        public func taskDone() throws {
            guard state.value.unfinishedTasks > 0 else {
                throw builtins.ValueError("task_done() called too many times")
            }
            state.value.unfinishedTasks -= 1
            if state.value.unfinishedTasks == 0 { finished.set() }
        }

        /// `await q.join()`: waits until every item put has been handled (`taskDone`).
        public func join() async throws {
            if state.value.unfinishedTasks > 0 { try await finished.wait() }
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
