import Foundation
import Futures
import XCTest

@testable import Processes

/// Arguments and results survive the trip, in the binary form for scalars and JSON otherwise.
final class ProcessWireFormatTests: XCTestCase {
    private struct Point: Codable, Equatable {
        let x: Int
        let label: String
    }

    private func roundTrip<T: Codable & Equatable>(_ values: [T], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let bytes = try WireFormat.encode(values)
        XCTAssertEqual(try WireFormat.decode([T].self, from: bytes), values, file: file, line: line)
    }

    func testScalarsAndStructsRoundTrip() throws {
        try roundTrip([0, -1, Int.max, Int.min])
        try roundTrip([Int32(7), -3])
        try roundTrip([0.1, -2.5e300, .infinity])
        try roundTrip([true, false])
        try roundTrip(["", "héllo", "a\u{0}b"])
        try roundTrip([NoValue(), NoValue()])
        try roundTrip([Point(x: 1, label: "one")])
        try roundTrip([[1, 2], [3]])
        try roundTrip([Int]())
    }

    func testScalarsUseTheBinaryFormAndOthersJSON() throws {
        XCTAssertEqual(try WireFormat.encode([1, 2, 3]).first, 1)
        XCTAssertEqual(try WireFormat.encode([1, 2, 3]).count, 1 + 4 + 3 * 8)
        XCTAssertEqual(try WireFormat.encode([Point(x: 1, label: "")]).first, 0)
    }

    func testMalformedPayloadsAreErrorsNotCrashes() {
        for bytes: [UInt8] in [[], [1], [1, 9, 0, 0, 0, 1], [0, 0x7b], [7]] {
            XCTAssertThrowsError(try WireFormat.decode([Int].self, from: bytes), "\(bytes)")
        }
        XCTAssertNil(CallReply(decoding: [1, 2, 3]))
        XCTAssertNil(CallRequest(decoding: [0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255]))
    }
}
