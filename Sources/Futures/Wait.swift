import Dispatch
import Foundation

extension concurrent.futures {
    /// When `concurrent.futures.wait(_:timeout:returnWhen:)` returns (Python's `FIRST_COMPLETED`,
    /// `FIRST_EXCEPTION`, `ALL_COMPLETED`).
    public enum ReturnWhen: Sendable {
        /// As soon as any future finishes or is cancelled.
        case firstCompleted
        /// As soon as any future finishes by throwing (cancelling doesn't count);
        /// if none throws, the same as `.allCompleted`.
        case firstException
        /// When every future has finished or been cancelled.
        case allCompleted
    }
}

extension concurrent.futures {
    /// Blocks until `returnWhen` holds or `timeout` seconds pass, then splits the futures
    /// into done and not done (Python: `wait(fs, timeout=None, return_when=ALL_COMPLETED)`).
    ///
    /// Like Python it never throws: on timeout, the unfinished ones are in `notDone`.
    /// Both arrays keep the input order, duplicates dropped. Inside a type that has its own
    /// `wait` method (e.g. an `XCTestCase`), call it as `concurrent.futures.wait(...)`.
    public static func wait<T>(
        _ futures: some Sequence<concurrent.futures.Future<T>>,
        timeout: TimeInterval? = nil,
        returnWhen: concurrent.futures.ReturnWhen = .allCompleted
    ) -> (done: [concurrent.futures.Future<T>], notDone: [concurrent.futures.Future<T>]) {
        let deadline = Deadline(timeout: timeout)
        let unique = distinct(futures)

        // Register on every future first, and count the ones already done through the same
        // trigger: a future that finishes while we look is then counted exactly once, either
        // by its waiter or here. (Looking at `done` twice, once to decide whether to wait and
        // once to pick what to wait for, lost a future that finished in between.)
        let trigger = WaitTrigger(pending: unique.count, returnWhen: returnWhen)
        var registrations: [(future: concurrent.futures.Future<T>, id: UInt64)] = []
        for future in unique {
            if let id = future.addWaiter({ trigger.futureDone(failed: future.failed) }) {
                registrations.append((future, id))
            } else {
                trigger.futureDone(failed: future.failed)
            }
        }
        if !trigger.hasFired {
            _ = Ambient.blocking { trigger.fired.wait(timeout: deadline.time) }
        }
        for (future, id) in registrations { future.removeWaiter(id) }

        // Like Python, report what is done now, not just what had triggered the wake-up.
        var done: [concurrent.futures.Future<T>] = []
        var notDone: [concurrent.futures.Future<T>] = []
        for future in unique {
            if future.done { done.append(future) } else { notDone.append(future) }
        }
        return (done, notDone)
    }
}

/// Counts completions and signals `fired` once, when the `concurrent.futures.ReturnWhen` condition holds.
private final class WaitTrigger: Sendable {
    private let state: Locked<(pending: Int, fired: Bool)>
    private let returnWhen: concurrent.futures.ReturnWhen
    let fired = DispatchSemaphore(value: 0)

    /// With nothing to wait for it has fired already, as Python's `wait([])` returns at once.
    init(pending: Int, returnWhen: concurrent.futures.ReturnWhen) {
        state = Locked((pending, pending == 0))
        self.returnWhen = returnWhen
    }

    var hasFired: Bool { state.withLock { $0.fired } }

    func futureDone(failed: Bool) {
        let fire: Bool = state.withLock { s in
            s.pending -= 1
            guard !s.fired else { return false }
            switch returnWhen {
            case .firstCompleted: s.fired = true
            case .firstException: s.fired = failed || s.pending == 0
            case .allCompleted: s.fired = s.pending == 0
            }
            return s.fired
        }
        if fire { fired.signal() }
    }
}
