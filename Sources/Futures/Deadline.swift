import Dispatch
import Foundation

/// A point on the monotonic clock computed once from a Python-style timeout
/// (seconds, `nil` = wait forever), so loops that wait several times share one budget.
struct Deadline: Sendable {
    let time: DispatchTime

    init(timeout: TimeInterval?) {
        guard let timeout, timeout.isFinite, timeout < 1e9 else {
            // nil, infinity and absurdly large values all mean "no timeout".
            time = .distantFuture
            return
        }
        time = timeout <= 0 ? .now() : .now() + .nanoseconds(Int(timeout * 1e9))
    }

    static let never = Deadline(timeout: nil)
}
