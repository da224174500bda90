/// What a cell's threads did, as recorded (`TimelineRecorder`): one row per thread, named
/// as Python names it, asyncio tasks under their loop's thread, worker processes as Python
/// names them (`Process-1`, `ForkPoolWorker-2`, with their pid);
/// each row a list of segments in seconds from the cell's start.
package struct Timeline: Sendable, Equatable {
    package struct Segment: Sendable, Equatable {
        package var start: Double
        package var end: Double
        package var state: ThreadState

        package init(start: Double, end: Double, state: ThreadState) {
            self.start = start
            self.end = end
            self.state = state
        }

        package var seconds: Double { end - start }
    }

    package struct Row: Sendable, Equatable {
        package enum Kind: Sendable, Equatable { case thread, task, process }
        package var name: String
        package var kind: Kind
        package var segments: [Segment]
        /// A worker process's pid (shown in its row's tooltip); nil for threads and tasks.
        package var pid: Int32?

        package init(name: String, kind: Kind, segments: [Segment], pid: Int32? = nil) {
            self.name = name
            self.kind = kind
            self.segments = segments
            self.pid = pid
        }

        /// Seconds the row spent in `state`.
        package func seconds(in state: ThreadState) -> Double {
            segments.reduce(0) { $0 + ($1.state == state ? $1.seconds : 0) }
        }

        /// Seconds the row spent in a state of `category`.
        package func seconds(inCategory category: ThreadState.Category) -> Double {
            segments.reduce(0) { $0 + ($1.state.category == category ? $1.seconds : 0) }
        }

        /// Seconds from the row's first segment to its last one's end.
        package var span: Double {
            guard let first = segments.first, let last = segments.last else { return 0 }
            return last.end - first.start
        }
    }

    package var rows: [Row]
    /// Seconds from the cell's start to the end of recording.
    package var seconds: Double

    package init(rows: [Row], seconds: Double) {
        self.rows = rows
        self.seconds = seconds
    }

    /// The row named `name`.
    package func row(_ name: String) -> Row? {
        rows.first { $0.name == name }
    }

    /// `<timeline: 4 threads, 1.00 s>` (tasks and processes counted when there are any).
    package var summary: String {
        func count(_ kind: Row.Kind, _ one: String, _ many: String) -> String? {
            let n = rows.count { $0.kind == kind }
            return n == 0 && kind != .thread ? nil : "\(n) \(n == 1 ? one : many)"
        }
        let parts = [
            count(.thread, "thread", "threads"), count(.task, "task", "tasks"),
            count(.process, "process", "processes"),
        ].compactMap { $0 }
        return "<timeline: \(parts.joined(separator: ", ")), \(format(seconds, ".2f")) s>"
    }
}
