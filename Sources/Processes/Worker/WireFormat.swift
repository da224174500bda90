import Foundation
import Futures

/// How a batch of arguments or results is written into a message.
///
/// JSON (Foundation's `JSONEncoder`) carries any `Codable` type. For the scalars tasks pass
/// most often (integers, floats, booleans, strings) a plain binary form is used instead:
/// measured on 1,000 `Int`s, a JSON encode and decode costs ~0.8 µs per item, which made a
/// 1,000-item chunk cost almost as much as 100 one-item round trips and hid the gain of
/// `chunksize`; the binary form is a copy per item.
enum WireFormat {
    private static let json: UInt8 = 0
    private static let binary: UInt8 = 1

    static func encode<T: Encodable>(_ values: [T], userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws
        -> [UInt8]
    {
        if let scalar = T.self as? any WireScalar.Type, let bytes = encodeScalars(scalar, values) {
            return bytes
        }
        let encoder = JSONEncoder()
        encoder.userInfo = userInfo
        return [json] + Array(try encoder.encode(values))
    }

    static func decode<T: Decodable>(
        _: [T].Type, from bytes: [UInt8],
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) throws -> [T] {
        guard let tag = bytes.first else { throw malformed("empty payload") }
        if tag == binary {
            guard let scalar = T.self as? any WireScalar.Type else { throw malformed("binary payload for \(T.self)") }
            guard let values = decodeScalars(scalar, as: T.self, bytes) else {
                throw malformed("bad \(T.self) payload")
            }
            return values
        }
        let decoder = JSONDecoder()
        decoder.userInfo = userInfo
        return try decoder.decode([T].self, from: Data(bytes.dropFirst()))
    }

    private static func encodeScalars<S: WireScalar, T>(_: S.Type, _ values: [T]) -> [UInt8]? {
        // S is T opened from `T.self as? any WireScalar.Type`; reinterpret rather than cast
        // element by element (a checked `as? [S]` boxes every element: slower than JSON).
        guard S.self == T.self else { return nil }
        let scalars = unsafeBitCast(values, to: [S].self)
        var bytes: [UInt8] = [binary]
        bytes.reserveCapacity(5 + scalars.count * 8)
        bytes.appendInteger(UInt32(scalars.count))
        S.appendAll(scalars, to: &bytes)
        return bytes
    }

    private static func decodeScalars<S: WireScalar, T>(_: S.Type, as _: T.Type, _ bytes: [UInt8]) -> [T]? {
        guard S.self == T.self, let values = decodeScalars(S.self, bytes) else { return nil }
        return unsafeBitCast(values, to: [T].self)
    }

    private static func decodeScalars<S: WireScalar>(_: S.Type, _ bytes: [UInt8]) -> [S]? {
        var reader = ByteReader(bytes)
        _ = reader.integer(UInt8.self)
        guard let count = reader.integer(UInt32.self), Int(count) <= bytes.count else { return nil }
        return S.readAll(count: Int(count), from: &reader)
    }

    private static func malformed(_ what: String) -> pickle.UnpicklingError {
        pickle.UnpicklingError(what)
    }
}

/// A type with a fixed binary form in messages (see `WireFormat`).
protocol WireScalar {
    func append(to bytes: inout [UInt8])
    static func read(from reader: inout ByteReader) -> Self?
    static func appendAll(_ values: [Self], to bytes: inout [UInt8])
    static func readAll(count: Int, from reader: inout ByteReader) -> [Self]?
}

extension WireScalar {
    static func appendAll(_ values: [Self], to bytes: inout [UInt8]) {
        for value in values { value.append(to: &bytes) }
    }

    static func readAll(count: Int, from reader: inout ByteReader) -> [Self]? {
        var values: [Self] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            guard let value = read(from: &reader) else { return nil }
            values.append(value)
        }
        return values
    }
}

#if !_endian(little)
    #error("WireFormat copies numbers in memory order; it assumes a little-endian host")
#endif

/// Numbers whose memory is their wire form: a whole array is one copy.
protocol WireNumber: WireScalar, BitwiseCopyable {}

extension WireNumber {
    func append(to bytes: inout [UInt8]) { Self.appendAll([self], to: &bytes) }
    static func read(from reader: inout ByteReader) -> Self? { readAll(count: 1, from: &reader)?.first }

    static func appendAll(_ values: [Self], to bytes: inout [UInt8]) {
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    static func readAll(count: Int, from reader: inout ByteReader) -> [Self]? {
        guard let raw = reader.take(count * MemoryLayout<Self>.stride) else { return nil }
        return raw.withUnsafeBytes { source in
            Array(unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
                initialized = count
            }
        }
    }
}

extension Int: WireNumber {}
extension Int32: WireNumber {}
extension Int64: WireNumber {}
extension UInt64: WireNumber {}
extension Double: WireNumber {}

extension Bool: WireScalar {
    func append(to bytes: inout [UInt8]) { bytes.append(self ? 1 : 0) }
    static func read(from reader: inout ByteReader) -> Bool? { reader.integer(UInt8.self).map { $0 != 0 } }
}

extension String: WireScalar {
    func append(to bytes: inout [UInt8]) { bytes.appendString(self) }
    static func read(from reader: inout ByteReader) -> String? { reader.string() }
}

extension NoValue: WireScalar {
    func append(to bytes: inout [UInt8]) {}
    static func read(from reader: inout ByteReader) -> NoValue? { NoValue() }
}
