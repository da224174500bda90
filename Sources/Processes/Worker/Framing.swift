import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// Length-prefixed frames over a Unix socket: a little-endian UInt32 byte count, then the body.
///
/// Sockets rather than pipes so that writes use `MSG_NOSIGNAL`: a worker that died turns the
/// next write into an error (EPIPE) instead of a SIGPIPE that would kill the parent.
enum Framing {
    /// The largest body accepted; a corrupt length can't make the reader allocate gigabytes.
    static let maximumBody = 1 << 30

    /// Sends one frame; a peer that is gone is `EPIPE` (or `ECONNRESET`).
    static func send(_ body: [UInt8], on fd: Int32) throws(SystemCallError) {
        var frame = [UInt8]()
        frame.reserveCapacity(body.count + 4)
        frame.appendInteger(UInt32(body.count))
        frame.append(contentsOf: body)
        let result: Result<Void, SystemCallError> = frame.withUnsafeBytes { raw in
            Result { () throws(SystemCallError) in try Syscall.sendAll(fd, raw) }
        }
        try result.get()
    }

    /// Reads one frame; `nil` at the end of the stream (or `ECONNRESET`), between frames. A stream that ends
    /// inside a frame, or a length over `maximumBody`, is a `FramingError`.
    static func receive(on fd: Int32) throws -> [UInt8]? {
        guard let header = try readExactly(4, from: fd, atStart: true) else { return nil }
        var reader = ByteReader(header)
        guard let length = reader.integer(UInt32.self) else { throw FramingError.truncated }
        guard Int(length) <= maximumBody else { throw FramingError.tooLong(Int(length)) }
        return length == 0 ? [] : try readExactly(Int(length), from: fd, atStart: false)
    }

    private static func readExactly(_ count: Int, from fd: Int32, atStart: Bool) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        let got: Result<Int, SystemCallError> = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(SystemCallError) in try Syscall.readFully(fd, into: raw) }
        }
        let filled: Int
        switch got {
        case .success(let count): filled = count
        // The peer closed (or died) with our last message unread: its stream has ended all the same.
        case .failure(let error) where error.errno == .connectionReset: filled = 0
        case .failure(let error): throw error
        }
        if filled == count { return buffer }
        if filled == 0 && atStart { return nil }
        throw FramingError.truncated
    }
}

/// A stream between parent and worker that broke the framing rules.
enum FramingError: Error, CustomStringConvertible {
    case truncated
    case tooLong(Int)
    case malformed

    var description: String {
        switch self {
        case .truncated: "the stream ended inside a message"
        case .tooLong(let length): "a message of \(length) bytes (over \(Framing.maximumBody))"
        case .malformed: "a message that does not decode"
        }
    }
}

extension [UInt8] {
    mutating func appendInteger<I: FixedWidthInteger>(_ value: I) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// A string as a UInt32 length and its UTF-8 bytes.
    mutating func appendString(_ string: String) {
        let utf8 = Array(string.utf8)
        appendInteger(UInt32(utf8.count))
        append(contentsOf: utf8)
    }
}

/// Reads integers and strings back from a frame body; every read checks the bounds.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func integer<I: FixedWidthInteger>(_: I.Type) -> I? {
        let size = MemoryLayout<I>.size
        guard bytes.count - offset >= size else { return nil }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: I.self) }
        offset += size
        return I(littleEndian: value)
    }

    mutating func string() -> String? {
        guard let length = integer(UInt32.self), bytes.count - offset >= Int(length) else { return nil }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Everything not read yet.
    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

/// A call sent to a worker: which registered function, and its JSON-encoded batch of arguments.
struct CallRequest {
    let id: UInt64
    let function: String
    let payload: [UInt8]

    func encoded() -> [UInt8] {
        var body = [UInt8]()
        body.reserveCapacity(payload.count + function.utf8.count + 12)
        body.appendInteger(id)
        body.appendString(function)
        body.append(contentsOf: payload)
        return body
    }

    init(id: UInt64, function: String, payload: [UInt8]) {
        self.id = id
        self.function = function
        self.payload = payload
    }

    init?(decoding body: [UInt8]) {
        var reader = ByteReader(body)
        guard let id = reader.integer(UInt64.self), let function = reader.string() else { return nil }
        self.init(id: id, function: function, payload: reader.rest())
    }
}

/// A worker's answer: the JSON-encoded batch of results, or the exception as its type name,
/// message and class (`builtins.ValueError`, empty for an error that is no Python class), so
/// the parent raises the same class again (`PythonExceptions.make`).
struct CallReply {
    enum Outcome {
        case value([UInt8])
        case raised(ename: String, evalue: String, className: String)

        /// What a worker sends for `error`.
        static func raised(_ error: any Error) -> Outcome {
            let className = error is BaseException ? PythonExceptions.qualifiedName(of: error) : ""
            return .raised(
                ename: pythonExceptionName(of: error), evalue: pythonExceptionMessage(of: error), className: className)
        }
    }

    let id: UInt64
    let outcome: Outcome

    func encoded() -> [UInt8] {
        var body = [UInt8]()
        body.appendInteger(id)
        switch outcome {
        case .value(let payload):
            body.append(0)
            body.append(contentsOf: payload)
        case .raised(let ename, let evalue, let className):
            body.append(1)
            body.appendString(ename)
            body.appendString(evalue)
            body.appendString(className)
        }
        return body
    }

    init(id: UInt64, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }

    init?(decoding body: [UInt8]) {
        var reader = ByteReader(body)
        guard let id = reader.integer(UInt64.self), let status = reader.integer(UInt8.self) else { return nil }
        switch status {
        case 0: outcome = .value(reader.rest())
        case 1:
            guard let ename = reader.string(), let evalue = reader.string(), let className = reader.string() else {
                return nil
            }
            outcome = .raised(ename: ename, evalue: evalue, className: className)
        default: return nil
        }
        self.id = id
    }
}
