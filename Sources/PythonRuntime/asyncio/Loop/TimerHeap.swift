/// One `call_later` timer (asyncio's `TimerHandle`): what to run at `deadline` on the loop's
/// thread, until it runs or is cancelled. Its fields are guarded by the loop's lock.
final class LoopTimer: @unchecked Sendable {
    // @unchecked: `action` and `cancelled` are only touched with the owning loop's lock held,
    // or on the loop's thread, which is the only one that arms, cancels and fires timers.
    let deadline: Double
    private var action: (() -> Void)?
    /// Cancelled: it must never fire; the heap drops it when it surfaces.
    private(set) var cancelled = false

    init(deadline: Double, action: (() -> Void)? = nil) {
        self.deadline = deadline
        self.action = action
    }

    /// `handle.cancel()`.
    func cancel() {
        cancelled = true
        action = nil
    }

    /// The action, once: nil if cancelled or already taken.
    func takeAction() -> (() -> Void)? {
        defer { action = nil }
        return cancelled ? nil : action
    }
}
/// The event loop's pending timers: a binary min-heap by deadline, ties in arming order
/// (asyncio's `_scheduled` heap). A cancelled timer stays in the heap; the loop drops it
/// when it surfaces. The sifts move a hole through a buffer rather than swapping: 10,000
/// timers fire at once in the many-waits cell, and this keeps them cheap even unoptimised.
struct TimerHeap {
    struct Entry {
        let deadline: Double
        let sequence: UInt64  // grows with each push, so equal deadlines fire in arming order
        let timer: LoopTimer
    }

    private var entries: [Entry] = []
    private var pushed: UInt64 = 0

    var first: LoopTimer? { entries.first?.timer }

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
    }

    mutating func push(_ timer: LoopTimer) {
        pushed += 1
        let entry = Entry(deadline: timer.deadline, sequence: pushed, timer: timer)
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard Self.precedes(entry, heap[parent]) else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = entry
        }
    }

    mutating func popFirst() -> LoopTimer? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first.timer }
        entries.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var hole = 0
            while true {
                var child = 2 * hole + 1
                guard child < count else { break }
                if child + 1 < count, Self.precedes(heap[child + 1], heap[child]) { child += 1 }
                guard Self.precedes(heap[child], last) else { break }
                heap[hole] = heap[child]
                hole = child
            }
            heap[hole] = last
        }
        return first.timer
    }
}
