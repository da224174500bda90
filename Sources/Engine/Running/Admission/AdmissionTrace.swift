import Foundation
import SystemCalls

/// `NBRUN_ADMISSION_TRACE=1`: a line on stderr every 250 ms of what admission saw and did
/// (cells waiting and running, as timing-sensitive+one-core+CPU-bound; the worst wake-up
/// lateness, the slice, the window, the one-core work that paces admission), to tune the
/// policy on a given machine. Off by default; costs nothing then.
/// `NBRUN_ADMISSION_TRACE_INTERVAL` sets the seconds between lines (e.g. 0.02 to follow a
/// batch's first moments).
final class AdmissionTrace {
    /// Seconds between two lines.
    private let interval: Double
    private let start = Date()
    private var nextLine = 0.0
    private var worst = 0.0
    private var admitted = 0

    init?(baseline: Double) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["NBRUN_ADMISSION_TRACE"] == "1" else { return nil }
        interval = environment["NBRUN_ADMISSION_TRACE_INTERVAL"].flatMap(Double.init).map { max(0, $0) } ?? 0.25
        Self.write(String(format: "admission: baseline lateness %.2f ms\n", baseline * 1e3))
    }

    func record(_ state: AdmissionPolicy.State, _ decision: AdmissionPolicy.Decision, slice: Int, window: Int) {
        worst = max(worst, state.lateness)
        if case .admitShared(let count) = decision { admitted += count }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= nextLine else { return }
        nextLine = elapsed + interval
        let line = String(
            format:
                "admission: %6.2f s  waiting %5d+%d+%-5d running %5d+%d+%d  admitted %5d  worst late %6.2f ms  slice %d  window %d  one-core work left %.1f s  reserved %.2f cores\n",
            elapsed, state.waitingShared, state.waitingOneCore, state.waitingExclusive, state.runningShared,
            state.runningOneCore, state.runningExclusive, admitted, worst * 1e3, slice, window,
            state.oneCoreSecondsLeft, state.reservedCores)
        Self.write(line)
        worst = 0
    }

    /// A full or closed stderr loses the trace, not the run.
    private static func write(_ line: String) {
        Syscall.writeToStandardError(line)
    }
}
