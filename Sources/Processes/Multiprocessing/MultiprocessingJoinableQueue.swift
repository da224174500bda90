import Foundation
import Futures

extension multiprocessing {
    /// Python's `multiprocessing.JoinableQueue()`: a `Queue` whose consumers say when they
    /// are done with an item (`taskDone()`) so a producer can wait for every item put to be
    /// done (`join()`), in any process it was passed to.
    ///
    /// The count of unfinished items lives in a shared `Value` (CPython keeps it in a
    /// semaphore): `put` counts one before sending, `taskDone` counts one off and refuses to
    /// go below zero as CPython does. `join` looks at the count every millisecond with the
    /// calling cell's GIL released (CPython waits on a condition the last `task_done`
    /// notifies): it returns at most about a millisecond after the last item is done.
    public final class JoinableQueue<Element: Codable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: a Queue and a Value, each safe to share.
        private let queue: Queue<Element>
        private let unfinished: Value<Int>

        /// Python: `multiprocessing.JoinableQueue()` (no `maxsize`, as `Queue`).
        public init() throws {
            queue = try Queue()
            unfinished = try Value(0)
        }

        /// Python: `put(obj)`: one more unfinished item.
        public func put(_ item: Element) throws {
            try unfinished.withLock { $0 += 1 }
            do {
                try queue.put(item)
            } catch {
                _ = try? unfinished.withLock { $0 -= 1 }
                throw error
            }
        }

        /// Python: `put_nowait(obj)`.
        public func putNowait(_ item: Element) throws { try put(item) }

        /// Python: `get(block=True, timeout=None)`, as `Queue.get`.
        public func get(block: Bool = true, timeout: TimeInterval? = nil) throws -> Element {
            try queue.get(block: block, timeout: timeout)
        }

        /// Python: `get_nowait()`.
        public func getNowait() throws -> Element { try queue.get(block: false) }

        /// Python: `empty()`, a hint as in CPython.
        public func empty() throws -> Bool { try queue.empty() }

        /// Python: `task_done()`: an item got earlier is done. More calls than items put is
        /// CPython's `ValueError: task_done() called too many times`.
        public func taskDone() throws {
            try unfinished.withLock { count in
                guard count > 0 else { throw builtins.ValueError("task_done() called too many times") }
                count -= 1
            }
        }

        /// Python: `join()`: waits until every item put has been marked done.
        public func join() throws {
            guard try unfinished.value > 0 else { return }
            try Ambient.blocking {
                while try unfinished.value > 0 { Thread.sleep(forTimeInterval: 0.001) }
            }
        }

        private enum CodingKeys: String, CodingKey { case queue, unfinished }

        /// Crosses to a `Process` in its arguments, as a `Queue` and a `Value` do (inherited fds).
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(queue, forKey: .queue)
            try container.encode(unfinished, forKey: .unfinished)
        }

        /// The queue a parent process passed down, from its inherited fds.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            queue = try container.decode(Queue<Element>.self, forKey: .queue)
            unfinished = try container.decode(Value<Int>.self, forKey: .unfinished)
        }
    }

    /// Python's `multiprocessing.SimpleQueue()`: `put`, `get` (blocking, no timeout),
    /// `empty` and `close`, over the same socket as `Queue`. After `close()` each of them is
    /// CPython's `OSError: handle is closed` (in this process; a copy passed to another
    /// process closes separately, as CPython's handles do).
    public final class SimpleQueue<Element: Codable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: a Queue, safe to share, and a locked flag.
        private let queue: Queue<Element>
        private let closed = Locked(false)

        /// Python: `multiprocessing.SimpleQueue()`.
        public init() throws {
            queue = try Queue()
        }

        /// Python: `put(obj)`.
        public func put(_ item: Element) throws {
            try checkOpen()
            try queue.put(item)
        }

        /// Python: `get()`: waits for an item with the calling cell's GIL released.
        public func get() throws -> Element {
            try checkOpen()
            return try queue.get()
        }

        /// Python: `empty()`.
        public func empty() throws -> Bool {
            try checkOpen()
            return try queue.empty()
        }

        /// Python: `close()` (3.9+).
        public func close() {
            closed.withLock { $0 = true }
        }

        private func checkOpen() throws {
            if closed.withLock({ $0 }) { throw builtins.OSError("handle is closed") }
        }

        /// Crosses to a `Process` in its arguments, as a `Queue` does (inherited fds).
        public func encode(to encoder: any Encoder) throws {
            try queue.encode(to: encoder)
        }

        /// The queue a parent process passed down, from its inherited fds.
        public init(from decoder: any Decoder) throws {
            queue = try Queue(from: decoder)
        }
    }
}
