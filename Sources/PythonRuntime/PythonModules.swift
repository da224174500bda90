/// Python's `threading` module: ``Thread``, ``Lock``, ``RLock``, ``Condition``, ``Semaphore``,
/// ``BoundedSemaphore``, ``Event``, ``Barrier``, ``Timer``, ``local`` and the module's
/// functions (``currentThread()``, ``enumerate()``, ...), under their Python names.
public enum threading {
    /// Python's `threading.BrokenBarrierError`: a ``Barrier`` was broken (aborted, reset or
    /// timed out) while or before a thread waited on it; raised without a message.
    public struct BrokenBarrierError: Error, Sendable, Equatable, CustomStringConvertible, PythonNamedError {
        /// `BrokenBarrierError()`.
        public init() {}
        /// `str(exc)`: empty, as Python raises it.
        public var description: String { "" }
        /// `type(exc).__name__`.
        public var pythonName: String { "BrokenBarrierError" }
        /// `str(exc)`: empty.
        public var pythonMessage: String { "" }
    }
}

/// Python's `time` module: ``sleep(_:)`` (the GIL released meanwhile), ``perfCounter()``,
/// ``monotonic()``, ``time()``, ``threadTime()``. A port that imports Glibc too writes
/// `time.sleep(0.5)` for Python's and `sleep(1)` for C's, without ambiguity.
public enum time {}

extension asyncio {
    /// Python's `asyncio.TimeoutError`, the built-in `TimeoutError` since 3.11.
    public typealias TimeoutError = Futures.TimeoutError
}
