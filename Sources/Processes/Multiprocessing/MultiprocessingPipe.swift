import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

extension multiprocessing {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// Python's `multiprocessing.Pipe(duplex=True)`: two connected `Connection`s. With
    /// `duplex: false` the first can only receive and the second only send, as in Python.
    public static func Pipe<Element>(duplex: Bool = true) throws -> (Connection<Element>, Connection<Element>) {
        let (first, second) = try Syscall.socketPair()
        return (
            Connection(descriptor: first, readable: true, writable: duplex),
            Connection(descriptor: second, readable: duplex, writable: true)
        )
    }

    /// One end of a `pipe()`: Python's `multiprocessing.connection.Connection`.
    ///
    /// A Unix stream socket carrying length-prefixed messages (each item as JSON, or
    /// `WireFormat`'s binary form for scalars). It crosses to a `Process` in its arguments (the fd is
    /// inherited); as in Python, the other end reads end-of-file only once every process
    /// holding this end has closed it (or exited).
    public final class Connection<Element: Codable & Sendable>: Codable, @unchecked Sendable {
        // @unchecked: `descriptor` is guarded by `state`; the socket by the kernel.
        private let state: Locked<Int32?>
        /// Python: `readable`, `writable`.
        public let readable: Bool
        /// `Connection.writable`: whether `send` is allowed on this end.
        public let writable: Bool

        init(descriptor: Int32, readable: Bool, writable: Bool) {
            state = Locked(descriptor)
            self.readable = readable
            self.writable = writable
        }

        deinit { close() }

        /// Python: `closed`.
        public var closed: Bool { state.withLock { $0 == nil } }

        /// Python: `close()`.
        public func close() {
            state.withLock { fd in
                if let open = fd { Syscall.closeIgnoringErrors(open) }
                fd = nil
            }
        }

        private func descriptor(reading: Bool) throws -> Int32 {
            guard let fd = state.withLock({ $0 }) else { throw builtins.OSError("handle is closed") }
            if reading && !readable { throw builtins.OSError("connection is write-only") }
            if !reading && !writable { throw builtins.OSError("connection is read-only") }
            return fd
        }

        /// Python: `send(obj)`. A peer that is gone is `BrokenPipeError`; a message is
        /// written whole, waiting (with the GIL released) while the socket's buffer is full.
        public func send(_ item: Element) throws {
            let fd = try descriptor(reading: false)
            let body = try WireFormat.encode([item])
            try raisingOSError { try Ambient.blocking { try Framing.send(body, on: fd) } }
        }

        /// Python: `recv()`: the next item, waiting with the calling cell's GIL released;
        /// `EOFError` once the other end is closed everywhere and nothing is left.
        public func recv() throws -> Element {
            let fd = try descriptor(reading: true)
            let body: [UInt8]?
            do {
                body = try raisingOSError {
                    if try !Syscall.pollReadable(fd, timeout: 0) {
                        _ = try Ambient.blocking { try Syscall.pollReadable(fd, timeout: nil) }
                    }
                    return try Framing.receive(on: fd)
                }
            } catch FramingError.truncated {
                throw builtins.EOFError()
            }
            guard let body else { throw builtins.EOFError() }
            let items = try WireFormat.decode([Element].self, from: body)
            guard let item = items.first, items.count == 1 else {
                throw pickle.UnpicklingError("a Connection message holding \(items.count) items")
            }
            return item
        }

        /// Python: `poll(timeout=0.0)`: whether there is something to `recv` (an item, or the
        /// end of file) within `timeout` seconds (`nil`: wait as long as it takes).
        public func poll(_ timeout: TimeInterval? = 0) throws -> Bool {
            let fd = try descriptor(reading: true)
            if try Syscall.pollReadable(fd, timeout: 0) { return true }
            if let timeout, timeout <= 0 { return false }
            return try Ambient.blocking { try Syscall.pollReadable(fd, timeout: timeout) }
        }

        /// Writes the connection as the fd a child process inherits (see `Inheritance`).
        public func encode(to encoder: any Encoder) throws {
            let fd = try descriptor(reading: readable)
            try Inheritance.encode([fd], extra: [readable ? 1 : 0, writable ? 1 : 0], to: encoder, kind: "Connection")
        }

        /// The connection a parent process passed down, from its inherited fd.
        public init(from decoder: any Decoder) throws {
            let (fds, flags) = try Inheritance.decode(from: decoder, count: 1, extra: 2, kind: "Connection")
            state = Locked(fds[0])
            readable = flags[0] != 0
            writable = flags[1] != 0
        }
    }
}
