import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
    /// A lock shared with child processes: Python's `multiprocessing.Lock()`.
    ///
    /// A process-shared POSIX semaphore of value 1 in shared memory (CPython's `SemLock` is
    /// one too), so, as in Python, it is not recursive and any thread or process may release
    /// it. It crosses to a `Process` in its arguments (the memory's fd is inherited).
    public final class Lock: Codable, @unchecked Sendable {
        // @unchecked: the semaphore is safe to use from any thread or process.
        private let memory: SharedMemory
        private var semaphore: UnsafeMutableRawPointer { memory.mapping }

        /// Python: `multiprocessing.Lock()`. A failed call (`memfd_create`, `sem_init`) is the
        /// `OSError` CPython raises for its errno.
        public init() throws {
            memory = try SharedMemory.create(size: MemoryLayout<sem_t>.size, name: "multiprocessing.Lock")
            try raisingOSError { try Syscall.initSharedSemaphore(memory.mapping, value: 1) }
        }

        /// Python: `acquire(block=True, timeout=None)`; `true` once held, `false` when
        /// `block` is false and the lock is taken, or `timeout` seconds passed. Waits with the
        /// calling cell's GIL released (`Ambient.blocking`), as CPython's `SemLock.acquire`.
        @discardableResult
        public func acquire(block: Bool = true, timeout: TimeInterval? = nil) throws -> Bool {
            try raisingOSError {
                if try Syscall.semaphoreTryWait(semaphore) { return true }
                guard block else { return false }
                return try Ambient.blocking { try Syscall.semaphoreWait(semaphore, timeout: timeout) }
            }
        }

        /// Python: `release()`; releasing an unlocked lock is CPython's
        /// `ValueError: semaphore or lock released too many times`.
        public func release() throws {
            // Check and post are two steps, as in CPython's SemLock for a lock (maxvalue 1).
            if Syscall.semaphoreValue(semaphore) >= 1 {
                throw builtins.ValueError("semaphore or lock released too many times")
            }
            try raisingOSError { try Syscall.semaphorePost(semaphore) }
        }

        /// Python: `with lock:`.
        public func withLock<R>(_ body: () throws -> R) throws -> R {
            try acquire()
            defer { try? release() }  // held by this call: it can't be released too many times
            return try body()
        }

        /// Writes the lock as the fd a child process inherits (see `Inheritance`).
        public func encode(to encoder: any Encoder) throws {
            try Inheritance.encode([memory.descriptor], to: encoder, kind: "Lock")
        }

        /// The lock a parent process passed down, from its inherited fd.
        public init(from decoder: any Decoder) throws {
            let (fds, _) = try Inheritance.decode(from: decoder, count: 1, kind: "Lock")
            memory = try SharedMemory.inherited(fds[0], size: MemoryLayout<sem_t>.size)
        }
    }
}
