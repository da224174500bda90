import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
    /// A FIFO queue shared with child processes: Python's `multiprocessing.Queue()`.
    ///
    /// A Unix `SOCK_SEQPACKET` socket pair: `put` sends one message (the item as JSON, or
    /// `WireFormat`'s binary form for scalars) on one end, `get` receives one from the
    /// other, so any number of processes and threads can put and get without a lock, each
    /// item reaching exactly one getter. Both ends cross to a `Process` in its arguments (the
    /// fds are inherited). Items must be `Codable`; one item is at most `maximumItemSize` bytes.
    public final class Queue<Element: Codable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: two fds, immutable, used by the kernel's own locking.
        private let sender: Int32
        private let receiver: Int32

        /// The largest encoded item (a socket message must fit in the socket's send buffer).
        public static var maximumItemSize: Int { 128 * 1024 }

        /// Python: `multiprocessing.Queue()` (no `maxsize`: see docs/port-library.md).
        public init() throws {
            let pair = try Syscall.messageSocketPair()
            sender = pair.0
            receiver = pair.1
        }

        deinit {
            Syscall.closeIgnoringErrors(sender)
            Syscall.closeIgnoringErrors(receiver)
        }

        /// Python: `put(obj)`. Returns at once unless the socket's buffer is full (hundreds of
        /// items nobody got yet), then waits with the calling cell's GIL released.
        public func put(_ item: Element) throws {
            let bytes = try WireFormat.encode([item])
            guard bytes.count <= Self.maximumItemSize else {
                throw builtins.ValueError(
                    "a Queue item of \(bytes.count) bytes is over the \(Self.maximumItemSize) bytes allowed")
            }
            if try !send(bytes, wait: false) {
                _ = try Ambient.blocking { try send(bytes, wait: true) }
            }
        }

        /// Sends one message; `false` when the socket is full and `wait` is false.
        private func send(_ bytes: [UInt8], wait: Bool) throws -> Bool {
            let result: Result<Void, SystemCallError> = bytes.withUnsafeBytes { raw in
                Result { () throws(SystemCallError) in try Syscall.sendMessage(sender, raw, wait: wait) }
            }
            switch result {
            case .success: return true
            case .failure(let error) where error.errno == .wouldBlock: return false
            case .failure(let error): throw error.pythonException
            }
        }

        /// Python: `put_nowait(obj)` (the same as `put`: this queue has no `maxsize`).
        public func putNowait(_ item: Element) throws { try put(item) }

        /// Python: `get(block=True, timeout=None)`: the oldest item; waits (with the calling
        /// cell's GIL released) at most `timeout` seconds, or not at all when `block` is
        /// false, then throws `queue.Empty` (`queue.Empty()`).
        public func get(block: Bool = true, timeout: TimeInterval? = nil) throws -> Element {
            if let timeout, timeout < 0 { throw builtins.ValueError("'timeout' must be a non-negative number") }
            let end = timeout.map { Clock.monotonic + $0 }
            while true {
                if let item = try receiveNow() { return item }
                guard block else { throw queue.Empty() }
                let remaining = end.map { max(0, $0 - Clock.monotonic) }
                let readable = try Ambient.blocking { try Syscall.pollReadable(receiver, timeout: remaining) }
                // Readable but taken by another getter first: look again until the time is up.
                if !readable { throw queue.Empty() }
            }
        }

        /// Python: `get_nowait()`.
        public func getNowait() throws -> Element { try get(block: false) }

        /// Python: `empty()`; as in CPython, only a hint while other processes use the queue.
        public func empty() throws -> Bool { try !Syscall.pollReadable(receiver, timeout: 0) }

        /// One message if one is waiting, else nil.
        private func receiveNow() throws -> Element? {
            let capacity = Self.maximumItemSize + 1
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
            defer { buffer.deallocate() }
            let received: Result<Int, SystemCallError> = Result { () throws(SystemCallError) in
                try Syscall.receiveMessage(receiver, into: buffer, wait: false)
            }
            let length: Int
            switch received {
            case .success(let count): length = count
            case .failure(let error) where error.errno == .wouldBlock: return nil
            case .failure(let error): throw error.pythonException
            }
            guard length <= capacity else {
                throw pickle.UnpicklingError("a Queue item over \(capacity) bytes")
            }
            let items = try WireFormat.decode([Element].self, from: [UInt8](buffer[..<length]))
            guard let item = items.first, items.count == 1 else {
                throw pickle.UnpicklingError("a Queue message holding \(items.count) items")
            }
            return item
        }

        /// Writes the queue as the fds a child process inherits (see `Inheritance`).
        public func encode(to encoder: any Encoder) throws {
            try Inheritance.encode([sender, receiver], to: encoder, kind: "Queue")
        }

        /// The queue a parent process passed down, from its inherited fds.
        public init(from decoder: any Decoder) throws {
            let (fds, _) = try Inheritance.decode(from: decoder, count: 2, kind: "Queue")
            sender = fds[0]
            receiver = fds[1]
        }
    }
}
