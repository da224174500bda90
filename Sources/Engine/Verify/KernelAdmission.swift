import Foundation
import PythonRuntime
import Synchronization

/// Which kernel cells may run at once: the rules `AdmissionPolicy` applies to ports, for
/// cells nbrun cannot look inside. A kernel's cell has its port's load (`Demo.Load`); a
/// cell nobody ported (setup code) is timing-sensitive; a kernel starting up (Python and
/// ipykernel importing) keeps a core busy, so it is admitted as a one-core cell.
///
/// - `.allCores`: alone. Once one waits, nothing new starts until it has run (so a stream
///   of timing-sensitive cells cannot starve it), in the order they asked.
/// - `.oneCore`: one at a time while timing-sensitive cells run, else one per core.
/// - timing-sensitive: side by side, at most `sharedPerCore` per core. Unlike ports, a
///   kernel's wake-ups cannot be probed from here, so a fixed cap stands in for the
///   lateness bounds: the course's cells mostly sleep and wait.
final class KernelAdmission: Sendable {
    static let sharedPerCore = 2

    private struct State {
        var shared = 0
        var oneCore = 0
        var allCores = 0
        /// Tickets of `.allCores` cells waiting, in the order they asked.
        var exclusiveQueue: [Int] = []
        var nextTicket = 0
    }

    private let cores: Int
    private let state = Mutex(State())
    private let condition = NSCondition()

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
        while !state.withLock({ admit(load, ticket: ticket, &$0) }) { condition.wait() }
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
            let limit = state.shared > 0 ? 1 : cores
            guard state.exclusiveQueue.isEmpty, state.oneCore < limit else { return false }
            state.oneCore += 1
        case .timingSensitive:
            let limit = state.oneCore > 0 ? Self.sharedPerCore * max(1, cores - 1) : Self.sharedPerCore * cores
            guard state.exclusiveQueue.isEmpty, state.shared < limit else { return false }
            state.shared += 1
        }
        return true
    }
}
