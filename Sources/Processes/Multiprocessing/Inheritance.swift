import CProcess
import Futures
import SystemCalls

/// How a `multiprocessing` object crosses to a `Process`: as the numbers of the fds the child
/// inherits (its shared memory, its sockets), as CPython's objects cross a fork. Anywhere else
/// (a pool call's arguments) encoding throws CPython's RuntimeError.
enum Inheritance {
    /// Encodes `fds` (as the numbers the child will have) and then `extra` integers.
    static func encode(_ fds: [Int32], extra: [Int] = [], to encoder: any Encoder, kind: String) throws {
        guard let descriptors = encoder.userInfo[SharedDescriptors.key] as? SharedDescriptors else {
            throw builtins.RuntimeError("\(kind) objects should only be shared between processes through inheritance")
        }
        var container = encoder.unkeyedContainer()
        for fd in fds { try container.encode(descriptors.inherit(fd)) }
        for number in extra { try container.encode(number) }
    }

    /// In the child: `count` fds this object now owns, then `extra` integers.
    static func decode(from decoder: any Decoder, count: Int, extra: Int = 0, kind: String) throws
        -> (fds: [Int32], extra: [Int])
    {
        guard let descriptors = decoder.userInfo[SharedDescriptors.key] as? SharedDescriptors else {
            throw builtins.RuntimeError("a \(kind) can only be received by a child process")
        }
        var container = try decoder.unkeyedContainer()
        var fds: [Int32] = []
        for _ in 0..<count { fds.append(try container.decode(Int32.self)) }
        var numbers: [Int] = []
        for _ in 0..<extra { numbers.append(try container.decode(Int.self)) }
        var owned: [Int32] = []
        do {
            for fd in fds { owned.append(try descriptors.claim(fd)) }
        } catch {
            for fd in owned { Syscall.closeIgnoringErrors(fd) }
            throw error
        }
        return (owned, numbers)
    }
}

extension SharedMemory {
    /// A new `memfd` of `size` bytes (rounded up to whole pages) mapped `MAP_SHARED`. A failed
    /// call is the `OSError` subclass CPython raises for its errno, as a port catches it.
    static func create(size: Int, name: String) throws -> SharedMemory {
        try raisingOSError {
            let pages = (size + 4095) / 4096 * 4096
            let fd = try Syscall.check("memfd_create") { cprocess_memfd(name) }
            do {
                try Syscall.resize(fd, to: pages)
                return SharedMemory(descriptor: fd, mapping: try Syscall.mapShared(fd, size: pages), size: pages)
            } catch {
                Syscall.closeIgnoringErrors(fd)
                throw error
            }
        }
    }

    /// A new mapping (see `create`) whose first bytes are a process-shared mutex: the lock of
    /// a `Value` or an `Array`.
    static func createWithMutex(size: Int, name: String) throws -> SharedMemory {
        let memory = try create(size: size, name: name)
        try raisingOSError { try Syscall.checkStatus("pthread_mutex_init", cprocess_mutex_init(memory.mapping)) }
        return memory
    }

    /// In a child: maps the inherited `fd` (which this mapping now owns).
    static func inherited(_ fd: Int32, size: Int) throws -> SharedMemory {
        let pages = (size + 4095) / 4096 * 4096
        do {
            return SharedMemory(descriptor: fd, mapping: try Syscall.mapShared(fd, size: pages), size: pages)
        } catch {
            Syscall.closeIgnoringErrors(fd)
            throw error
        }
    }
}
