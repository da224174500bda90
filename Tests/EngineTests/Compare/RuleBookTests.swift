import Engine
import EngineTestKit
import Foundation
import Notebook
import XCTest

/// `nbrun.json`: read once, every entry checked at load, applied per demo and per cell.
final class RuleBookTests: XCTestCase {
    /// Demos named as the rule files below name them (`nb/race`, `nb/other`, `nb/x`).
    let registry = DemoRegistry(
        ["race", "other", "x"].map { Fixture.demo("pass", name: $0, notebook: "nb", run: { _ in }) })

    func write(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(RuleBook.fileName).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func loadError(_ text: String) throws -> String {
        let path = try write(text)
        do {
            _ = try RuleBook.load(path, registry: registry)
        } catch {
            XCTAssertTrue(error.origin.hasPrefix(path), "the error names the file: \(error)")
            return error.description
        }
        XCTFail("\(text) loaded")
        return ""
    }

    func testADemosEntryAppliesToThatDemoOnly() throws {
        let book = try RuleBook.load(write(#"{"demos": {"nb/race": {"mask": ["got: +(\\d+)"]}}}"#), registry: registry)
        let cell = Cell(type: .code, source: "x")
        let masked = try book.rules(for: cell, demo: "nb/race"), plain = try book.rules(for: cell, demo: "nb/other")
        let (a, b) = (
            OutputLines([.stream(name: "stdout", text: "got: 1\n")]),
            OutputLines([.stream(name: "stdout", text: "got: 2\n")])
        )
        XCTAssertTrue(try CellComparison(expected: a, actual: b, rules: masked).matches)
        XCTAssertFalse(try CellComparison(expected: a, actual: b, rules: plain).matches)
    }

    func testCellMetadataOverridesTheFile() throws {
        let book = try RuleBook.load(write(#"{"defaults": {"skip": false}}"#), registry: registry)
        var cell = Cell(type: .code, source: "x")
        cell.metadata["nbrun"] = .object(JSONObject([("unordered", .bool(true))]))
        let rules = try book.rules(for: cell, demo: nil)
        let (a, b) = (
            OutputLines([.stream(name: "stdout", text: "a\nb\n")]),
            OutputLines([.stream(name: "stdout", text: "b\na\n")])
        )
        XCTAssertTrue(try CellComparison(expected: a, actual: b, rules: rules).matches)
        cell.metadata["nbrun"] = .string("unordered")
        XCTAssertThrowsError(try book.rules(for: cell, demo: nil), "metadata.nbrun must be an object")
    }

    func testEveryEntryIsCheckedWhenTheFileIsLoaded() throws {
        XCTAssertTrue(try loadError(#"{"default": {}}"#).contains(#"unknown key "default""#))
        XCTAssertTrue(try loadError(#"[1]"#).contains("must hold a JSON object"))
        XCTAssertTrue(try loadError(#"{"demos": {"nb/x": []}}"#).contains("demos.nb/x must be an object"))
        XCTAssertTrue(
            try loadError(#"{"demos": {"nb/x": {"mask": ["("]}}}"#).contains("demos.nb/x"), "a bad regular expression")
        XCTAssertTrue(
            try loadError(#"{"demos": {"nb/x": {"tolerance": {"relative": 0.1, "typo": 1}}}}"#).contains("demos.nb/x"))
        XCTAssertTrue(try loadError(#"{"demos": "#).contains("JSON ends early"), "not JSON")
    }

    func testAMissingFileIsAnErrorNamingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).json")
            .path
        XCTAssertThrowsError(try RuleBook.load(path, registry: registry)) { error in
            XCTAssertEqual("\(error)", "\(path): no such file or directory")
        }
    }
}
