import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// `nbrun.json`'s `kernel`: a course whose references came from another kernel says so.
final class KernelSettingTests: XCTestCase {
    func load(_ json: String) throws -> RuleBook {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nbrun.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return try RuleBook.load(path, registry: .course)
    }

    func testTheDefaultIsIpykernel7() throws {
        XCTAssertEqual(try load("{}").kernel, .ipykernel7)
    }

    func testEachKeyOverridesTheProfile() throws {
        let book = try load(
            #"{"kernel": {"name": "k", "prefix": "/opt/py/lib", "threads": ["IOPub"], "thread_counter": 2}}"#)
        var expected = KernelProfile.ipykernel7
        (expected.name, expected.prefix, expected.threads, expected.threadCounter) = ("k", "/opt/py/lib/", ["IOPub"], 2)
        XCTAssertEqual(book.kernel, expected)
        XCTAssertNil(try load(#"{"kernel": null}"#).kernel, "null: a bare python3")
    }

    func testBadSettingsAreErrorsNamingTheKey() {
        for (json, message) in [
            (#"{"kernel": 3}"#, "\"kernel\" must be an object or null"),
            (#"{"kernel": {"threads": [1]}}"#, "kernel.threads must be a list"),
            (#"{"kernel": {"thread_counter": -1}}"#, "kernel.thread_counter must be a non-negative integer"),
            (#"{"kernel": {"pid": 3}}"#, "unknown kernel key \"pid\""),
        ] {
            XCTAssertThrowsError(try load(json), json) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }
}
