import Foundation
import Futures

extension multiprocessing {
    /// The result of a call given to a `Pool`: Python's `multiprocessing.pool.AsyncResult`
    /// (`ApplyResult`, and `MapResult` for `map_async`).
    public final class AsyncResult<T: Sendable>: Sendable {
        private let future = concurrent.futures.Future<T>()
        private let kind: String

        /// Completes from `source`, after calling `callback` (with the value) or
        /// `errorCallback` (with the error) as CPython does: before a `get()` returns.
        init(
            from source: concurrent.futures.Future<T>, kind: String,
            callback: (@Sendable (T) -> Void)?, errorCallback: (@Sendable (any Error) -> Void)?
        ) {
            self.kind = kind
            let future = self.future
            source.addDoneCallback { done in
                // Done already: `result` returns at once.
                switch Result(catching: { try done.result() }) {
                case .success(let value):
                    callback?(value)
                    future.setResult(value)
                case .failure(let error):
                    errorCallback?(error)
                    future.setException(error)
                }
            }
        }

        /// Python: `get(timeout=None)`: the value, or the error the call raised; after
        /// `timeout` seconds, ``multiprocessing/TimeoutError``.
        /// Waits with the calling cell's GIL released.
        public func get(timeout: TimeInterval? = nil) throws -> T {
            do {
                return try future.result(timeout: timeout)
            } catch is builtins.TimeoutError {
                throw multiprocessing.TimeoutError()
            }
        }

        /// Python: `wait(timeout=None)`: until the call is done or `timeout` seconds passed.
        public func wait(timeout: TimeInterval? = nil) {
            _ = try? future.exception(timeout: timeout)
        }

        /// Python: `ready()`.
        public func ready() -> Bool { future.done }

        /// Python: `successful()`: whether the call returned without raising; before it is
        /// done, CPython's `ValueError: <multiprocessing.pool.ApplyResult object at 0x...> not ready`.
        public func successful() throws -> Bool {
            guard future.done else {
                let address = String(UInt(bitPattern: ObjectIdentifier(self).hashValue), radix: 16)
                throw builtins.ValueError("<multiprocessing.pool.\(kind) object at 0x\(address)> not ready")
            }
            do {
                return try future.exception() == nil
            } catch {
                return false  // cancelled by `terminate()`
            }
        }
    }
}
