import Futures
import Glibc
import SystemCalls

/// A TCP connection as CPython's `socket` with a timeout behaves: every wait (connect, each
/// send, each receive) may last `timeout` seconds and then raises `TimeoutError('timed out')`;
/// nil waits without bound. Each wait releases the GIL and shows on a timeline as I/O. A
/// failed call is the `OSError` subclass CPython raises (`builtins.ConnectionRefusedError`).
///
/// Used by one thread at a time, as a Python socket object is (a response is read by the
/// thread that opened it), so it holds no lock.
final class SocketStream: @unchecked Sendable {
    private var descriptor: Int32
    private let timeout: Double?
    /// Received and not yet consumed.
    private var buffer: [UInt8] = []
    private var consumed = 0
    private(set) var atEnd = false

    private init(descriptor: Int32, timeout: Double?) {
        self.descriptor = descriptor
        self.timeout = timeout
    }

    deinit { close() }

    /// `socket.create_connection((host, port), timeout)`: each address `getaddrinfo` gives,
    /// in order, until one connects; when none does, the last address's error.
    static func connect(host: String, port: Int, timeout: Double?) throws -> SocketStream {
        try raisingOSError { try connectToFirst(host: host, port: port, timeout: timeout) }
    }

    private static func connectToFirst(host: String, port: Int, timeout: Double?) throws -> SocketStream {
        let addresses = try waitingOnNetwork { try Syscall.addresses(host: host, port: port) }
        // getaddrinfo gives at least one address or fails; "none" is the resolver's own error.
        var lastError: any Error = AddressLookupError(code: EAI_NONAME)
        for address in addresses {
            let descriptor = try Syscall.streamSocket(for: address)
            do {
                if try !Syscall.startConnect(descriptor, to: address) {
                    guard
                        try waitingOnNetwork({
                            try Syscall.waitUntilReady(descriptor, writable: true, seconds: timeout)
                        })
                    else { throw builtins.TimeoutError("timed out") }
                    try Syscall.connectionResult(descriptor)
                }
                return SocketStream(descriptor: descriptor, timeout: timeout)
            } catch {
                Syscall.closeIgnoringErrors(descriptor)
                lastError = error
            }
        }
        throw lastError
    }

    /// `sock.sendall(bytes)`.
    func sendAll(_ bytes: [UInt8]) throws {
        try raisingOSError { try send(bytes) }
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = try bytes.withUnsafeBytes { raw in
                try Syscall.sendSome(descriptor, UnsafeRawBufferPointer(rebasing: raw[sent...]))
            }
            if count == 0 { try wait(writable: true) }
            sent += count
        }
    }

    /// The next line, without its `\r\n` (or `\n`); nil at the end of the stream.
    func readLine() throws -> [UInt8]? {
        while true {
            if let newline = buffer[consumed...].firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[consumed..<newline])
                consumed = newline + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return line
            }
            guard try fill() else {
                guard consumed < buffer.count else { return nil }
                defer { consumed = buffer.count }
                return Array(buffer[consumed...])
            }
        }
    }

    /// Exactly `count` bytes, or fewer when the stream ends first.
    func read(count: Int) throws -> [UInt8] {
        while buffer.count - consumed < count, try fill() {}
        let end = min(buffer.count, consumed + count)
        defer { consumed = end }
        return Array(buffer[consumed..<end])
    }

    /// Everything up to the end of the stream.
    func readToEnd() throws -> [UInt8] {
        while try fill() {}
        defer { consumed = buffer.count }
        return Array(buffer[consumed...])
    }

    func close() {
        guard descriptor >= 0 else { return }
        Syscall.closeIgnoringErrors(descriptor)
        descriptor = -1
    }

    /// Receives more bytes; false at the end of the stream.
    private func fill() throws -> Bool {
        try raisingOSError { try receive() }
    }

    private func receive() throws -> Bool {
        guard !atEnd else { return false }
        if consumed > 0, consumed == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            consumed = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try Syscall.receiveSome(descriptor, into: $0) }
            guard let count else {
                try wait(writable: false)
                continue
            }
            if count == 0 {
                atEnd = true
                return false
            }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
    }

    private func wait(writable: Bool) throws {
        let ready = try waitingOnNetwork {
            try Syscall.waitUntilReady(descriptor, writable: writable, seconds: timeout)
        }
        if !ready { throw builtins.TimeoutError("timed out") }
    }
}

/// A wait on the network: outside the GIL (CPython's socket calls release it) and drawn as
/// I/O on a timeline.
func waitingOnNetwork<R>(_ body: () throws -> R) rethrows -> R {
    try withWaitKind(.io) { try Ambient.blocking(body) }
}
