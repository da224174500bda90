import Foundation
import Futures
import Synchronization
import SystemCalls

/// Records, for one cell's interpreter, when each of its threads changed state (see
/// `ThreadState`). It exists only when a timeline was asked for (`DemoContext(seed:timeline:)`),
/// so a run without one pays a nil check at each GIL hand-over and blocking wait.
///
/// Each thread appends to a buffer of its own (`TimelineTrack`), found through a thread-local
/// slot; the recorder's lock is taken only the first time a thread records. The buffer's own
/// lock is never contended while the cell runs (only its thread appends), so an event costs an
/// uncontended lock and an append.
package final class TimelineRecorder: Sendable {
    /// Monotonic nanoseconds when recording began: the picture's zero.
    package let origin: UInt64
    /// Tells recorders apart in a thread's cached track (an address may be reused).
    let id = TimelineRecorder.counter.add(1, ordering: .relaxed).newValue
    private static let counter = Atomic<UInt64>(0)
    private let tracks = Locked<[TimelineTrack]>([])
    private let taskTimelines = Locked<[TaskTimeline]>([])

    package init() {
        origin = Self.now()
    }

    /// Monotonic nanoseconds, the clock events are recorded on.
    package static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Records that the calling thread is now in `state`.
    func record(_ state: ThreadState) {
        track().append(state, at: Self.now())
    }

    /// The calling thread's buffer, as the Python thread it runs now: a pool's OS thread
    /// that runs `T0` and later `T1` gets one row for each.
    func track() -> TimelineTrack {
        let slot = ThreadSlot.current
        let owner = slot.thread.map(ObjectIdentifier.init)
        if let cached = slot.timelineTrack, cached.recorderID == id, cached.owner == owner,
            owner != nil || cached.osThread.isCurrent
        {
            return cached
        }
        let name = threading.currentThread().name
        let track = TimelineTrack(recorderID: id, owner: owner, name: name, kind: .thread)
        tracks.withLock { $0.append(track) }
        slot.timelineTrack = track
        return track
    }

    /// A row for something that is not a thread of this process (a task, a worker process),
    /// recorded by whoever sees it change state; that caller serialises its appends.
    func addTrack(
        named name: String, kind: TimelineTrack.Kind, parent: TimelineTrack? = nil, pid: Int32? = nil
    ) -> TimelineTrack {
        let track = TimelineTrack(recorderID: id, owner: nil, name: name, kind: kind, parent: parent, pid: pid)
        tracks.withLock { $0.append(track) }
        return track
    }

    /// A buffer for the tasks of the event loop running on the calling thread (see
    /// `TaskTimeline`); the loop keeps it.
    func taskTimeline() -> TaskTimeline {
        let buffer = TaskTimeline(parent: track())
        taskTimelines.withLock { $0.append(buffer) }
        return buffer
    }

    /// A worker process of the cell started (drawn as running outside this GIL, in a process
    /// of its own) or was reaped. Its row is named as Python names it (`Process-1`,
    /// `ForkPoolWorker-2`), with the pid in the row's tooltip.
    func process(_ pid: Int32, name: String, started: Bool) {
        let now = Self.now()
        let existing = tracks.withLock { $0.last { $0.kind == .process && $0.pid == pid } }
        let track = started ? addTrack(named: name, kind: .process, pid: pid) : existing
        track?.append(started ? .outsideGIL : .idle, at: now)
    }

    /// What was recorded from `from` (monotonic ns; the recorder's start by default) up to
    /// `end` (now by default), as rows of segments in seconds from `from`, in the order the
    /// rows first appeared, each row's tasks after it. Rows with nothing in the window are left out.
    package func timeline(from: UInt64? = nil, end: UInt64? = nil) -> Timeline {
        let origin = from ?? self.origin
        let end = max(end ?? Self.now(), origin)
        let all = tracks.withLock { $0 }
        let loops = taskTimelines.withLock { $0 }
        // Rows of the same Python thread (MainThread across several OS threads) are one row.
        var rows: [Timeline.Row] = []
        var index: [String: Int] = [:]
        for track in all where track.parent == nil {
            let row = track.row(origin: origin, end: end)
            if track.kind == .thread, let at = index[row.name] {
                rows[at].segments = (rows[at].segments + row.segments).sorted { $0.start < $1.start }
            } else {
                index[row.name] = rows.count
                rows.append(row)
            }
        }
        var result: [Timeline.Row] = []
        for row in rows {
            result.append(row)
            let children = all.filter { $0.parent.map { $0.name == row.name } ?? false }
            result += children.map { $0.row(origin: origin, end: end) }
            for loop in loops where loop.parent.name == row.name {
                result += loop.rows(origin: origin, end: end)
            }
        }
        return Timeline(rows: result.filter { !$0.segments.isEmpty }, seconds: Double(end &- origin) / 1e9)
    }
}

/// One row's events: (monotonic ns, state), appended by one thread at a time.
final class TimelineTrack: @unchecked Sendable {
    // @unchecked: `events` is only touched with `lock` held; the rest never changes.
    enum Kind: Sendable { case thread, task, process }

    let recorderID: UInt64
    /// The `threading.Thread` whose target it runs, nil for MainThread, a dummy, a task or a process.
    let owner: ObjectIdentifier?
    let osThread = ThreadIdentity.current
    let name: String
    let kind: Kind
    let parent: TimelineTrack?
    /// A worker process's pid, for its row's tooltip.
    let pid: Int32?
    private let lock = NSLock()
    private var events: [(ns: UInt64, state: ThreadState)] = []

    init(
        recorderID: UInt64, owner: ObjectIdentifier?, name: String, kind: Kind, parent: TimelineTrack? = nil,
        pid: Int32? = nil
    ) {
        self.recorderID = recorderID
        self.pid = pid
        self.owner = owner
        self.name = name
        self.kind = kind
        self.parent = parent
        events.reserveCapacity(kind == .thread ? 256 : 4)
    }

    func append(_ state: ThreadState, at ns: UInt64) {
        lock.lock()
        if events.last?.state != state { events.append((ns, state)) }
        lock.unlock()
    }

    func row(origin: UInt64, end: UInt64) -> Timeline.Row {
        lock.lock()
        let events = self.events
        lock.unlock()
        var segments: [Timeline.Segment] = []
        for (i, event) in events.enumerated() where event.state != .idle {
            // Clipped to the window [origin, end].
            let from = max(event.ns, origin)
            let stop = min(i + 1 < events.count ? events[i + 1].ns : end, end)
            guard stop > from else { continue }
            segments.append(
                .init(start: Double(from - origin) / 1e9, end: Double(stop - origin) / 1e9, state: event.state))
        }
        let rowKind: Timeline.Row.Kind =
            switch kind {
            case .thread: .thread
            case .task: .task
            case .process: .process
            }
        return Timeline.Row(name: name, kind: rowKind, segments: segments, pid: pid)
    }
}

extension ThreadSlot {
    /// Names the wait `body` may block in, for the timeline: the outermost name wins, so a
    /// `Condition.wait` stays a condition wait while it blocks on its inner lock.
    func withWaitKind<R>(_ kind: ThreadState, _ body: () throws -> R) rethrows -> R {
        guard waitKind == nil else { return try body() }
        waitKind = kind
        defer { waitKind = nil }
        return try body()
    }
}

/// Runs `body`, which may block, with its wait named `kind` on the timeline (the calling
/// thread's outermost name wins).
func withWaitKind<R>(_ kind: ThreadState, _ body: () throws -> R) rethrows -> R {
    try ThreadSlot.current.withWaitKind(kind, body)
}
