extension queue {
    /// How a `queue` look-alike keeps its items: CPython's `Queue` subclasses differ only in
    /// their `_put` and `_get`, and so do `queue.Queue`, `queue.LifoQueue` and `queue.PriorityQueue`.
    public protocol QueueStorage: Sendable {
        associatedtype Element: Sendable
        init()
        var count: Int { get }
        /// `_put(item)`.
        mutating func put(_ item: Element)
        /// `_get()`; only called when `count > 0`.
        mutating func get() -> Element
    }
}

extension queue {
    /// `queue.Queue`'s order: first in, first out (CPython keeps a `deque`).
    public struct FIFOStorage<Element: Sendable>: queue.QueueStorage {
        private var items: [Element] = []
        private var head = 0

        /// An empty queue.
        public init() {}

        /// The items held.
        public var count: Int { items.count - head }

        /// Adds `item` at the back.
        public mutating func put(_ item: Element) {
            items.append(item)
        }

        /// Takes the item at the front (the queue is not empty).
        public mutating func get() -> Element {
            let item = items[head]
            head += 1
            if head >= 32 && head * 2 >= items.count {  // drop the taken prefix now and then
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }
}

extension queue {
    /// `queue.LifoQueue`'s order: last in, first out.
    public struct LIFOStorage<Element: Sendable>: queue.QueueStorage {
        private var items: [Element] = []

        /// An empty stack.
        public init() {}

        /// The items held.
        public var count: Int { items.count }

        /// Pushes `item`.
        public mutating func put(_ item: Element) {
            items.append(item)
        }

        /// Pops the last item pushed (the stack is not empty).
        public mutating func get() -> Element {
            items.removeLast()
        }
    }
}

extension queue {
    /// `queue.PriorityQueue`'s order: smallest first, by CPython's `heapq` algorithm step for
    /// step, so items that compare equal come out in the same order as in Python.
    public struct HeapStorage<Element: Comparable & Sendable>: queue.QueueStorage {
        private var heap: [Element] = []

        /// An empty heap.
        public init() {}

        /// The items held.
        public var count: Int { heap.count }

        /// `heapq.heappush`.
        public mutating func put(_ item: Element) {
            heap.append(item)
            siftDown(from: 0, heap.count - 1)
        }

        /// `heapq.heappop`.
        public mutating func get() -> Element {
            let last = heap.removeLast()
            guard !heap.isEmpty else { return last }
            let smallest = heap[0]
            heap[0] = last
            siftUp(0)
            return smallest
        }

        /// heapq's `_siftdown(heap, startpos, pos)`: moves the item at `pos` up towards the root.
        private mutating func siftDown(from start: Int, _ position: Int) {
            var pos = position
            let newItem = heap[pos]
            while pos > start {
                let parentPos = (pos - 1) >> 1
                let parent = heap[parentPos]
                guard newItem < parent else { break }
                heap[pos] = parent
                pos = parentPos
            }
            heap[pos] = newItem
        }

        /// heapq's `_siftup(heap, pos)`: the smaller child rises until a leaf, then a siftdown.
        private mutating func siftUp(_ position: Int) {
            var pos = position
            let end = heap.count
            let newItem = heap[pos]
            var child = 2 * pos + 1
            while child < end {
                let right = child + 1
                if right < end && !(heap[child] < heap[right]) { child = right }
                heap[pos] = heap[child]
                pos = child
                child = 2 * pos + 1
            }
            heap[pos] = newItem
            siftDown(from: position, pos)
        }
    }
}
