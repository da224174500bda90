import Foundation

/// A wall-clock instant as nbclient writes it in `metadata.execution`:
/// UTC ISO-8601 with microseconds, e.g. `2026-11-24T17:39:05.229153Z`.
public struct Timestamp: Sendable, Comparable, CustomStringConvertible {
    public let seconds: Int
    public let microseconds: Int

    /// Reads the system's real-time clock now.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int(spec.tv_sec), microseconds: Int(spec.tv_nsec / 1000))
    }

    public var description: String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                      Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), microseconds)
    }

    public func seconds(since earlier: Timestamp) -> Double {
        Double(seconds - earlier.seconds) + Double(microseconds - earlier.microseconds) / 1e6
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.microseconds) < (rhs.seconds, rhs.microseconds)
    }
}

/// The four instants nbclient records around a cell's execution, in the order they happen.
public struct CellTiming: Sendable {
    /// The cell was taken up for execution (`iopub.status.busy`).
    public var busy: Timestamp
    /// Its code began to run (`iopub.execute_input`).
    public var executeInput: Timestamp
    /// Its code returned, threw or timed out (`shell.execute_reply`).
    public var executeReply: Timestamp
    /// Its outputs were collected (`iopub.status.idle`).
    public var idle: Timestamp

    /// nbclient's `metadata.execution` object.
    public var metadata: [(key: String, value: String)] {
        [("iopub.execute_input", executeInput.description),
         ("iopub.status.busy", busy.description),
         ("iopub.status.idle", idle.description),
         ("shell.execute_reply", executeReply.description)]
    }
}
