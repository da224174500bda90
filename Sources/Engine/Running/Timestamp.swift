import Foundation
import Notebook
import SystemCalls

/// A wall-clock instant as nbclient writes it in `metadata.execution`:
/// UTC ISO-8601 with microseconds, e.g. `2026-11-24T17:39:05.229153Z`.
package struct Timestamp: Sendable, Comparable, CustomStringConvertible {
    package let seconds: Int
    package let microseconds: Int

    /// Reads the system's real-time clock now.
    package static func now() -> Timestamp {
        let now = Clock.realtime
        return Timestamp(seconds: now.seconds, microseconds: now.microseconds)
    }

    package init(seconds: Int, microseconds: Int) {
        self.seconds = seconds
        self.microseconds = microseconds
    }

    /// Parses the form nbclient writes (`2026-11-24T17:39:05.229153Z`); nil for anything else.
    package init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 27 else { return nil }
        // The separators are checked too: `2026/11/24 17-39-05` is not nbclient's form.
        let separators: [(Int, Unicode.Scalar)] = [
            (4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (26, "Z"),
        ]
        for (index, separator) in separators where bytes[index] != UInt8(ascii: separator) { return nil }
        let digits = bytes.map { Int($0) - 48 }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard (0...9).contains(digits[index]) else { return nil }
                value = value * 10 + digits[index]
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let micros = number(20..<26)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        self.init(seconds: Int(timegm(&parts)), microseconds: micros)
    }

    package var description: String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), microseconds)
    }

    package func seconds(since earlier: Timestamp) -> Double {
        Double(seconds - earlier.seconds) + Double(microseconds - earlier.microseconds) / 1e6
    }

    package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.microseconds) < (rhs.seconds, rhs.microseconds)
    }
}

/// The four instants nbclient records around a cell's execution, in the order they happen.
package struct CellTiming: Sendable {
    /// The cell was taken up for execution (`iopub.status.busy`).
    package var busy: Timestamp
    /// Its code began to run (`iopub.execute_input`).
    package var executeInput: Timestamp
    /// Its code returned, threw or timed out (`shell.execute_reply`).
    package var executeReply: Timestamp
    /// Its outputs were collected (`iopub.status.idle`).
    package var idle: Timestamp

    /// The longest recorded duration taken as a hint: a day. A cell that ran longer, a reply
    /// before its input (a negative duration) or a value that is not a finite number counts
    /// as no record at all.
    package static let plausibleSeconds = 0.0...86_400

    /// How long the cell's code ran, as recorded in a cell's `metadata.execution` by nbclient
    /// or nbrun; nil when the cell holds no such record, or one outside `plausibleSeconds`.
    /// The record comes with the notebook, so it is only a hint (order, pacing, `--shard`,
    /// `check`'s timeout): an edited or corrupt one must never delay or stop a run.
    package static func recordedSeconds(in metadata: JSONObject) -> Double? {
        guard case .object(let execution)? = metadata["execution"],
            let input = execution["iopub.execute_input"]?.stringValue.flatMap(Timestamp.init(parsing:)),
            let reply = execution["shell.execute_reply"]?.stringValue.flatMap(Timestamp.init(parsing:))
        else { return nil }
        let seconds = reply.seconds(since: input)
        return seconds.isFinite && plausibleSeconds.contains(seconds) ? seconds : nil
    }

    /// nbclient's `metadata.execution` object.
    package var metadata: [(key: String, value: String)] {
        [
            ("iopub.execute_input", executeInput.description),
            ("iopub.status.busy", busy.description),
            ("iopub.status.idle", idle.description),
            ("shell.execute_reply", executeReply.description),
        ]
    }
}
