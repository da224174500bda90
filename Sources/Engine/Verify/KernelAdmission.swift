import Foundation
import PythonRuntime
import Synchronization
import SystemCalls

/// Which kernel cells may run at once: the rules `AdmissionPolicy` applies to ports, for
/// cells nbrun cannot look inside. A kernel's cell has its port's load (`Demo.Load`); a
/// cell nobody ported (setup code) is timing-sensitive; a kernel starting up (Python and
/// ipykernel importing) keeps a core busy, so it is admitted as a one-core cell.
///
/// - `.allCores`: alone. Once one waits, nothing new starts until it has run (so a stream
///   of timing-sensitive cells cannot starve it), in the order they asked.
/// - `.oneCore`: one at a time while timing-sensitive cells run or wait, else one per core.
/// - timing-sensitive: side by side, at most `sharedPerCore` per core that one-core work
///   leaves them, and only while it leaves them one. Unlike ports, a kernel's wake-ups
///   cannot be probed from here, so a fixed cap stands in for the lateness bounds: the
///   course's cells mostly sleep and wait.
final class KernelAdmission: Sendable {
    static let sharedPerCore = 2

    private struct State {
        var shared = 0
        var oneCore = 0
        var allCores = 0
        /// Tickets of `.allCores` cells waiting, in the order they asked.
        var exclusiveQueue: [Int] = []
        /// Timing-sensitive cells waiting: while any does, one-core work keeps to one core.
        var waitingShared = 0
        var nextTicket = 0
    }

    private let cores: Int
    private let state = Mutex(State())
    private let condition = NSCondition()
    /// `NBRUN_ADMISSION_TRACE=1`: each kernel cell's start and end on stderr, with what runs.
    private let trace = ProcessInfo.processInfo.environment["NBRUN_ADMISSION_TRACE"] == "1"
    private let began = Date()

    init(cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.cores = max(1, cores)
    }

    /// Blocks until a cell of `load` may start; pair with `finish(_:)`.
    func start(_ load: Demo.Load) {
        condition.lock()
        defer { condition.unlock() }
        let ticket: Int? =
            load == .allCores
            ? state.withLock { state in
                state.nextTicket += 1
                state.exclusiveQueue.append(state.nextTicket)
                return state.nextTicket
            } : nil
        if load == .timingSensitive { state.withLock { $0.waitingShared += 1 } }
        while !state.withLock({ admit(load, ticket: ticket, &$0) }) { condition.wait() }
        if load == .timingSensitive { state.withLock { $0.waitingShared -= 1 } }
        report("start", load)
    }

    private func report(_ event: String, _ load: Demo.Load) {
        guard trace else { return }
        let now = state.withLock { "shared \($0.shared), one-core \($0.oneCore), all-cores \($0.allCores)" }
        let line = String(
            format: "nbrun: kernels %.2f s: %@ %@; running: %@\n", Date().timeIntervalSince(began), event, "\(load)",
            now)
        Syscall.writeToStandardError(line)
    }

    func finish(_ load: Demo.Load) {
        condition.lock()
        state.withLock { state in
            switch load {
            case .timingSensitive: state.shared -= 1
            case .oneCore: state.oneCore -= 1
            case .allCores: state.allCores -= 1
            }
        }
        report("end", load)
        condition.broadcast()
        condition.unlock()
    }

    private func admit(_ load: Demo.Load, ticket: Int?, _ state: inout State) -> Bool {
        guard state.allCores == 0 else { return false }
        switch load {
        case .allCores:
            guard state.exclusiveQueue.first == ticket, state.shared == 0, state.oneCore == 0 else { return false }
            state.exclusiveQueue.removeFirst()
            state.allCores += 1
        case .oneCore:
            let limit = state.shared > 0 || state.waitingShared > 0 ? 1 : cores
            guard state.exclusiveQueue.isEmpty, state.oneCore < limit else { return false }
            state.oneCore += 1
        case .timingSensitive:
            // They keep a core of their own: beside one-core work on the others, never more.
            let limit = Self.sharedPerCore * max(1, cores - state.oneCore)
            guard state.exclusiveQueue.isEmpty, state.oneCore < cores, state.shared < limit else { return false }
            state.shared += 1
        }
        return true
    }
}
