import CProcess
import Foundation
import Futures
import SystemCalls

extension multiprocessing {
    /// Numbers in memory shared with child processes, guarded by a lock that works across
    /// processes: Python's `multiprocessing.Array` (`Array('i', 3)` is `Array<Int32>(count: 3)`,
    /// `Array('d', [1.0, 2.0])` is `Array<Double>([1, 2])`).
    ///
    /// As `Value`: a `memfd` mapped `MAP_SHARED`, whose first bytes hold a recursive, robust,
    /// process-shared mutex (`getLock()`, Python's `get_lock()`: an RLock); each element
    /// access takes it for that access, as CPython's synchronized wrapper does. It crosses to a
    /// `Process` in its arguments (the fd is inherited).
    public final class Array<T: BitwiseCopyable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: the shared elements are only touched while holding the shared mutex.
        private static var elementsOffset: Int { 64 }

        /// Python: `len(arr)`.
        public let count: Int
        private let memory: SharedMemory
        private let lock: SharedLock
        private var elements: UnsafeMutablePointer<T> {
            (memory.mapping + Self.elementsOffset).assumingMemoryBound(to: T.self)
        }

        private static func size(count: Int) -> Int { elementsOffset + count * MemoryLayout<T>.stride }

        /// `count` zeroed elements (Python: `Array('i', 3)`): a new `memfd` reads as zeros.
        public init(count: Int) throws {
            precondition(cprocess_mutex_size() <= UInt(Self.elementsOffset), "pthread_mutex_t larger than expected")
            precondition(
                MemoryLayout<T>.alignment <= Self.elementsOffset, "element type too aligned for a shared Array")
            guard count >= 0 else { throw builtins.ValueError("array size must be non-negative") }
            self.count = count
            memory = try SharedMemory.createWithMutex(size: Self.size(count: count), name: "multiprocessing.Array")
            lock = SharedLock(memory: memory)
        }

        /// The elements of `initial` (Python: `Array('i', [1, 2, 3])`).
        public convenience init(_ initial: [T]) throws {
            try self.init(count: initial.count)
            for (index, value) in initial.enumerated() { (elements + index).initialize(to: value) }
        }

        private func checked(_ index: Int) throws -> Int {
            let position = index < 0 ? index + count : index  // Python's negative indices
            guard position >= 0, position < count else { throw builtins.IndexError("invalid index") }
            return position
        }

        /// Python: `arr[i]` (negative `i` counts from the end); out of range is
        /// `IndexError: invalid index`.
        public subscript(index: Int) -> T {
            get throws {
                let position = try checked(index)
                return try lock.withLock { elements[position] }
            }
        }

        /// Python: `arr[i] = x`.
        public func set(_ index: Int, _ value: T) throws {
            let position = try checked(index)
            try lock.withLock { elements[position] = value }
        }

        /// Python: `arr[:]`, a copy taken under the lock.
        public func toArray() throws -> [T] {
            try lock.withLock { Swift.Array(UnsafeBufferPointer(start: elements, count: count)) }
        }

        /// The lock guarding the elements (Python: `get_lock()`); it is recursive, so element
        /// accesses may be used while holding it.
        public func getLock() -> SharedLock { lock }

        /// Runs `body` on the elements while holding the lock (`with arr.get_lock():` around
        /// several element reads and writes).
        public func withLock<R>(_ body: (UnsafeMutableBufferPointer<T>) throws -> R) throws -> R {
            try lock.withLock { try body(UnsafeMutableBufferPointer(start: elements, count: count)) }
        }

        /// Writes the array as the shared memory a child process inherits (see `Inheritance`).
        public func encode(to encoder: any Encoder) throws {
            try Inheritance.encode([memory.descriptor], extra: [count], to: encoder, kind: "Synchronized")
        }

        /// The array a parent process passed down, from its inherited fd.
        public required init(from decoder: any Decoder) throws {
            let (fds, extra) = try Inheritance.decode(from: decoder, count: 1, extra: 1, kind: "shared Array")
            guard extra[0] >= 0 else {
                Syscall.closeIgnoringErrors(fds[0])
                throw builtins.RuntimeError("a shared Array arrived with \(extra[0]) elements")
            }
            count = extra[0]
            memory = try SharedMemory.inherited(fds[0], size: Self.size(count: count))
            lock = SharedLock(memory: memory)
        }
    }
}
