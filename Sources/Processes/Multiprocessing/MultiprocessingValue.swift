import CProcess
import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
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

        /// Creates the shared memory holding `initial`. A failed call (`memfd_create`,
        /// `ftruncate`, `mmap`, `pthread_mutex_init`) is the `OSError` CPython raises for its errno.
        public init(_ initial: T) throws {
            precondition(cprocess_mutex_size() <= UInt(Self.valueOffset), "pthread_mutex_t larger than expected")
            precondition(
                MemoryLayout<T>.size <= Self.mappingSize - Self.valueOffset
                    && MemoryLayout<T>.alignment <= Self.valueOffset, "type too large for a shared Value")
            memory = try SharedMemory.createWithMutex(size: Self.mappingSize, name: "multiprocessing.Value")
            (memory.mapping + Self.valueOffset).storeBytes(of: initial, as: T.self)
            lock = SharedLock(memory: memory)
        }

        /// Reads the number, taking the lock for that one read (Python: `v.value`, which
        /// acquires the value's RLock too). Throws only if the lock can't be taken.
        public var value: T {
            get throws { try lock.withLock { (mapping + Self.valueOffset).load(as: T.self) } }
        }

        /// Writes the number under the lock (Python: `v.value = x`). `v.value += 1` is a read
        /// then a write: hold `getLock()` around both, `try v.setValue(v.value + 1)`.
        public func setValue(_ newValue: T) throws {
            try lock.withLock { (mapping + Self.valueOffset).storeBytes(of: newValue, as: T.self) }
        }

        /// The lock guarding the value (Python: `get_lock()`); it is recursive, so `value`
        /// may be used while holding it.
        public func getLock() -> SharedLock { lock }

        /// Runs `body` on the value while holding the lock.
        public func withLock<R>(_ body: (inout T) throws -> R) throws -> R {
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
                throw builtins.RuntimeError(
                    "Synchronized objects should only be shared between processes through inheritance")
            }
            var container = encoder.singleValueContainer()
            try container.encode(descriptors.inherit(descriptor))
        }

        /// In the child: maps the inherited fd named in the arguments.
        public required init(from decoder: any Decoder) throws {
            guard decoder.userInfo[SharedDescriptors.key] is SharedDescriptors else {
                throw builtins.RuntimeError("a shared Value can only be received by a child process")
            }
            let fd = try decoder.singleValueContainer().decode(Int32.self)
            guard fd >= SharedDescriptors.firstInherited else {
                throw builtins.RuntimeError("a shared Value arrived as fd \(fd), not an inherited one")
            }
            let mapping = try Syscall.mapShared(fd, size: Self.mappingSize)
            try Syscall.setCloseOnExec(fd)  // not passed on to this child's own children
            self.memory = SharedMemory(descriptor: fd, mapping: mapping, size: Self.mappingSize)
            self.lock = SharedLock(memory: memory)
        }
    }
}
