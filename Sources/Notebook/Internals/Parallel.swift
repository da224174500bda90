import Glibc
import SystemCalls

/// Two pieces of work at once, the second on a thread of its own: the second core for
/// large notebooks. A plain pthread rather than Dispatch: ThreadSanitizer follows
/// `pthread_join` on Linux, so the hand-over of the result is checked.
enum Parallel {
    /// Runs `second` on a new thread while `first` runs on this one; if no thread can be
    /// had, runs `second` here afterwards.
    static func both<A, B>(_ first: () -> A, _ second: @escaping () -> B) -> (A, B) {
        let box = ResultBox<B>()
        let thread = JoinableThread { box.value = second() }
        let started = thread.start()
        let a = first()
        if started { thread.join() }
        return (a, box.value ?? second())
    }

    /// Where to cut a list of sizes into two halves of about the same total.
    static func halfway(_ sizes: [Int]) -> Int {
        let total = sizes.reduce(0, +)
        var sum = 0
        for (index, size) in sizes.enumerated() {
            sum += size
            if sum * 2 >= total { return max(1, min(index + 1, sizes.count - 1)) }
        }
        return sizes.count / 2
    }
}

/// Where the worker thread leaves its result.
private final class ResultBox<Value>: @unchecked Sendable {
    // @unchecked: written by the worker thread before it exits, read after `pthread_join`.
    var value: Value?
}
