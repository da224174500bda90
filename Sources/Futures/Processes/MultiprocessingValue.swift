import CProcess
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Multiprocessing {
    /// A number in memory shared with child processes, guarded by a lock that works across
    /// processes: Python's `multiprocessing.Value` (`Value('i', 0)` is `Value<Int32>(0)`).
    ///
    /// The memory is a `memfd` mapped `MAP_SHARED` by the parent and by every child it is
    /// passed to (in a `Process`'s argument: the fd is inherited). Its first bytes hold a
    /// recursive, robust, process-shared pthread mutex, so `value` can be read and written
    /// inside `withLock`/`getLock()` like Python's RLock-guarded value, and a child killed
    /// while holding the lock does not wedge the others.
    public final class Value<T: BitwiseCopyable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: the shared bytes are only touched while holding the shared mutex.
        private static var valueOffset: Int { 64 }
        private static var mappingSize: Int { 4096 }

        private let memory: SharedMemory
        private let lock: SharedLock
        private var descriptor: Int32 { memory.descriptor }
        private var mapping: UnsafeMutableRawPointer { memory.mapping }

        /// Creates the shared memory holding `initial`.
        public init(_ initial: T) throws {
            precondition(cprocess_mutex_size() <= UInt(Self.valueOffset), "pthread_mutex_t larger than expected")
            precondition(
                MemoryLayout<T>.size <= Self.mappingSize - Self.valueOffset
                    && MemoryLayout<T>.alignment <= Self.valueOffset, "type too large for a shared Value")
            let fd = cprocess_memfd("Futures.Value")
            guard fd >= 0 else { throw Self.systemError("memfd_create") }
            guard ftruncate(fd, off_t(Self.mappingSize)) == 0, let mapping = Self.map(fd) else {
                let error = Self.systemError("mmap")
                close(fd)
                throw error
            }
            let status = cprocess_mutex_init(mapping)
            guard status == 0 else {
                munmap(mapping, Self.mappingSize)
                close(fd)
                throw PythonError("OSError", "pthread_mutex_init: \(String(cString: strerror(status)))")
            }
            (mapping + Self.valueOffset).storeBytes(of: initial, as: T.self)
            self.memory = SharedMemory(descriptor: fd, mapping: mapping, size: Self.mappingSize)
            self.lock = SharedLock(memory: memory)
        }

        /// Reads or writes the number, taking the lock for that one access (as Python does).
        /// `value += 1` is a read then a write: hold `getLock()` around it.
        public var value: T {
            get { lock.withLock { (mapping + Self.valueOffset).load(as: T.self) } }
            set { lock.withLock { (mapping + Self.valueOffset).storeBytes(of: newValue, as: T.self) } }
        }

        /// The lock guarding the value (Python: `get_lock()`); it is recursive, so `value`
        /// may be used while holding it.
        public func getLock() -> SharedLock { lock }

        /// Runs `body` on the value while holding the lock.
        public func withLock<R>(_ body: (inout T) throws -> R) rethrows -> R {
            try lock.withLock {
                let slot = mapping + Self.valueOffset
                var current = slot.load(as: T.self)
                defer { slot.storeBytes(of: current, as: T.self) }
                return try body(&current)
            }
        }

        // MARK: Crossing to a child

        /// Encodes the fd number the child will inherit. Outside a `Process`'s arguments (in a
        /// pool call) it throws, as Python does: a Value is shared only by inheritance.
        public func encode(to encoder: any Encoder) throws {
            guard let descriptors = encoder.userInfo[SharedDescriptors.key] as? SharedDescriptors else {
                throw PythonError(
                    "RuntimeError",
                    "Synchronized objects should only be shared between processes through inheritance")
            }
            var container = encoder.singleValueContainer()
            try container.encode(descriptors.inherit(descriptor))
        }

        /// In the child: maps the inherited fd named in the arguments.
        public required init(from decoder: any Decoder) throws {
            guard decoder.userInfo[SharedDescriptors.key] is SharedDescriptors else {
                throw PythonError("RuntimeError", "a shared Value can only be received by a child process")
            }
            let fd = try decoder.singleValueContainer().decode(Int32.self)
            guard fd >= SharedDescriptors.firstInherited, let mapping = Self.map(fd) else {
                throw Self.systemError("mmap of inherited fd \(fd)")
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)  // not passed on to this child's own children
            self.memory = SharedMemory(descriptor: fd, mapping: mapping, size: Self.mappingSize)
            self.lock = SharedLock(memory: memory)
        }

        private static func map(_ fd: Int32) -> UnsafeMutableRawPointer? {
            let address = mmap(nil, mappingSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            return address == MAP_FAILED ? nil : address
        }

        private static func systemError(_ call: String) -> PythonError {
            PythonError("OSError", "\(call): \(String(cString: strerror(errno)))")
        }
    }

    /// A lock shared between processes (the mutex at the start of a `Value`'s memory).
    public final class SharedLock: @unchecked Sendable {
        // @unchecked: the pointee is a pthread mutex, safe to use from any thread or process.
        private let memory: SharedMemory
        private var mutex: UnsafeMutableRawPointer { memory.mapping }

        init(memory: SharedMemory) { self.memory = memory }

        /// Python: `acquire()`.
        public func acquire() {
            let status = cprocess_mutex_lock(mutex)
            precondition(status == 0, "shared mutex lock failed: \(status)")
        }

        /// Python: `release()`.
        public func release() {
            _ = cprocess_mutex_unlock(mutex)
        }

        /// Python: `with lock:`.
        public func withLock<R>(_ body: () throws -> R) rethrows -> R {
            acquire()
            defer { release() }
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
        munmap(mapping, size)
        close(descriptor)
    }
}
