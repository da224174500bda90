import CProcess
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
    /// A lock shared between processes (the mutex at the start of a `Value`'s memory):
    /// Python's `multiprocessing.RLock`, as `Value(...).get_lock()` returns it.
    public final class SharedLock: @unchecked Sendable {
        // @unchecked: the pointee is a pthread mutex, safe to use from any thread or process.
        private let memory: SharedMemory
        private var mutex: UnsafeMutableRawPointer { memory.mapping }

        init(memory: SharedMemory) { self.memory = memory }

        /// Python: `acquire()`. Takes the lock at once if it is free; otherwise waits with the
        /// calling cell's GIL released (`Ambient.blocking`), as CPython's `SemLock.acquire`
        /// does, so the cell's other threads run meanwhile. Throws the mutex's error if it is
        /// unusable as the `OSError` for its errno (its memory is not a mutex any more).
        public func acquire() throws {
            let status = cprocess_mutex_trylock(mutex)
            try raisingOSError {
                if status == EBUSY {
                    try Ambient.blocking { try Syscall.checkStatus("pthread_mutex_lock", cprocess_mutex_lock(mutex)) }
                } else {
                    try Syscall.checkStatus("pthread_mutex_trylock", status)
                }
            }
        }

        /// Python: `release()`; a thread that does not hold the lock gets Python's AssertionError.
        public func release() throws {
            let status = cprocess_mutex_unlock(mutex)
            if status == EPERM {
                throw builtins.AssertionError("attempt to release recursive lock not owned by thread")
            }
            try raisingOSError { try Syscall.checkStatus("pthread_mutex_unlock", status) }
        }

        /// Python: `with lock:`.
        public func withLock<R>(_ body: () throws -> R) throws -> R {
            try acquire()
            // Releasing a lock this thread holds cannot fail (EPERM is the only error for a held mutex).
            defer { try? release() }
            return try body()
        }
    }
}

/// A shared mapping and its fd, released when neither the `Value` nor its lock needs them.
final class SharedMemory: @unchecked Sendable {
    // @unchecked: immutable after init; the bytes behind `mapping` are guarded by the shared mutex.
    let descriptor: Int32
    let mapping: UnsafeMutableRawPointer
    let size: Int

    init(descriptor: Int32, mapping: UnsafeMutableRawPointer, size: Int) {
        self.descriptor = descriptor
        self.mapping = mapping
        self.size = size
    }

    deinit {
        Syscall.unmap(mapping, size: size)
        Syscall.closeIgnoringErrors(descriptor)
    }
}
