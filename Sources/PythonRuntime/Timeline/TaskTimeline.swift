import Foundation

/// The timeline of one event loop's tasks: one buffer for all of them, appended to only by the
/// loop's thread. A row per task made the 10,000 tasks of 04's `many-waits` allocate 10,000
/// buffers (each with its lock) and take the recorder's lock 10,000 times; here a task is an
/// index, and its events are entries of one array, split into rows when the picture is drawn.
final class TaskTimeline: @unchecked Sendable {
    // @unchecked: `names` and `events` are only touched with `lock` held (uncontended while
    // the cell runs: only the loop's thread appends; the reader comes after).
    /// The loop thread's row, which the tasks' rows go under.
    let parent: TimelineTrack
    private let lock = NSLock()
    private var names: [String] = []
    private var events: [(task: Int32, ns: UInt64, state: ThreadState)] = []

    init(parent: TimelineTrack) {
        self.parent = parent
        events.reserveCapacity(1024)
    }

    /// A new task's row; returns its index.
    func addTask(named name: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        names.append(name)
        return Int32(names.count - 1)
    }

    func append(task: Int32, _ state: ThreadState, at ns: UInt64) {
        lock.lock()
        events.append((task, ns, state))
        lock.unlock()
    }

    /// One row per task, in the order the tasks were made, clipped to [origin, end]; a task's
    /// repeated state is one segment, as `TimelineTrack` keeps it.
    func rows(origin: UInt64, end: UInt64) -> [Timeline.Row] {
        lock.lock()
        let names = self.names, events = self.events
        lock.unlock()
        var perTask = [[(ns: UInt64, state: ThreadState)]](repeating: [], count: names.count)
        for event in events where perTask[Int(event.task)].last?.state != event.state {
            perTask[Int(event.task)].append((event.ns, event.state))
        }
        return zip(names, perTask).map { name, events in
            var segments: [Timeline.Segment] = []
            for (i, event) in events.enumerated() where event.state != .idle {
                let from = max(event.ns, origin)
                let stop = min(i + 1 < events.count ? events[i + 1].ns : end, end)
                guard stop > from else { continue }
                segments.append(
                    .init(start: Double(from - origin) / 1e9, end: Double(stop - origin) / 1e9, state: event.state))
            }
            return Timeline.Row(name: name, kind: .task, segments: segments)
        }
    }
}
