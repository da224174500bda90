/// Python's `threading` module: ``Thread``, ``Lock``, ``RLock``, ``Condition``, ``Semaphore``,
/// ``BoundedSemaphore``, ``Event``, ``Barrier``, ``Timer``, ``local`` and the module's
/// functions (``currentThread()``, ``enumerate()``, ...), under their Python names.
public enum threading {
    /// Python's `threading.BrokenBarrierError`: a ``Barrier`` was broken (aborted, reset or
    /// timed out) while or before a thread waited on it; raised without a message.
    /// (A `RuntimeError`, as in Python.)
    public final class BrokenBarrierError: builtins.RuntimeError, @unchecked Sendable {}
}

/// Python's `time` module: ``sleep(_:)`` (the GIL released meanwhile), ``perfCounter()``,
/// ``monotonic()``, ``time()``, ``threadTime()``. A port that imports Glibc too writes
/// `time.sleep(0.5)` for Python's and `sleep(1)` for C's, without ambiguity.
public enum time {}

extension asyncio {
    /// Python's `asyncio.TimeoutError`, the built-in `builtins.TimeoutError` since 3.11.
    public typealias TimeoutError = builtins.TimeoutError
}
