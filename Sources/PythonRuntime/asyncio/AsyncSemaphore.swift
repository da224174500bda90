import Futures

/// asyncio's `_LoopBoundMixin`: a synchronization object belongs to the first loop that
/// has to make it wait, and using it from another loop is a `RuntimeError`.
struct LoopBinding {
    private var loop: asyncio.EventLoop?

    /// `self._get_loop()`: the running loop, which must be the one it is bound to.
    mutating func loop(for owner: AnyObject, _ kind: String) throws -> asyncio.EventLoop {
        let running = asyncio.getRunningLoop()
        if loop == nil { loop = running }
        guard loop === running else {
            let address = String(UInt(bitPattern: ObjectIdentifier(owner).hashValue), radix: 16)
            throw builtins.RuntimeError(
                "<asyncio.locks.\(kind) object at 0x\(address)> is bound to a different event loop")
        }
        return running
    }
}

extension asyncio {
    /// `asyncio.Semaphore(n)`: at most `n` coroutines hold it at once; the others wait, in
    /// arrival order, without blocking the loop. Bound to the first loop it makes wait. Only
    /// used on the loop's thread, where coroutines run one at a time, so it needs no lock.
    public final class Semaphore: Sendable {
        struct State {
            var permits: Int
            var waiters: [asyncio.Future<Bool>] = []
            var binding = LoopBinding()
        }

        /// Everything that changes, on the loop's thread only (checked on every access).
        let state: LoopBound<State>

        /// `asyncio.Semaphore(value=1)`; a negative value is a precondition failure (Python's `ValueError`).
        public init(_ value: Int = 1) {
            precondition(value >= 0, "Semaphore initial value must be >= 0")
            state = LoopBound(State(permits: value))
        }

        /// `sem.locked()`: whether `acquire` would wait.
        public var locked: Bool { state.value.permits == 0 || state.value.waiters.contains { !$0.cancelled } }

        /// `async with sem:` runs `body` holding one permit, released however `body` ends.
        public func withPermit<R: Sendable>(_ body: () async throws -> R) async throws -> R {
            try await acquire()
            defer { release() }
            return try await body()
        }

        /// `await sem.acquire()`. Throws `asyncio.CancelledError` (holding nothing) if cancelled while
        /// waiting, handing on a permit it was given meanwhile.
        public func acquire() async throws {
            if !locked {
                state.value.permits -= 1
                return
            }
            let future = asyncio.Future<Bool>(
                loop: try state.value.binding.loop(for: self, "Semaphore"), waitKind: .semaphore)
            state.value.waiters.append(future)
            do {
                defer { state.value.waiters.removeAll { $0 === future } }
                _ = try await future.value
            } catch let error as asyncio.CancelledError {
                if !future.cancelled {
                    state.value.permits += 1
                    wakeUpNext()
                }
                throw error
            }
            if state.value.permits > 0 { wakeUpNext() }
        }

        /// `sem.release()`: hands the permit to the longest waiter, if any.
        public func release() {
            state.value.permits += 1
            wakeUpNext()
        }

        private func wakeUpNext() {
            guard let next = state.value.waiters.first(where: { !$0.done }) else { return }
            state.value.permits -= 1
            try? next.setResult(true)
        }
    }
}
