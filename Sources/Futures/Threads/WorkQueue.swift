/// One queued task: `run` executes it (unless its future was cancelled);
/// `cancel` is used by `shutdown(cancelFutures: true)`.
struct WorkItem: Sendable {
    let run: @Sendable () -> Void
    let cancel: @Sendable () -> Void
}

/// FIFO of pending work. Popping moves a head index instead of shifting the array,
/// so 10,000 queued tasks cost O(n), not O(n²).
struct WorkQueue: Sendable {
    private var items: [WorkItem?] = []
    private var head = 0

    var count: Int { items.count - head }

    mutating func append(_ item: WorkItem) { items.append(item) }

    mutating func popFirst() -> WorkItem? {
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil  // release the closure (and its captures) now, not at compaction
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }

    mutating func removeAll() -> [WorkItem] {
        let pending = items[head...].compactMap { $0 }
        items = []
        head = 0
        return pending
    }
}
