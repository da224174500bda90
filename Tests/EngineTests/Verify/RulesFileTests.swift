import Foundation
import Notebook
import XCTest

@testable import Engine

/// `verify --write-rules`: merged into nbrun.json, keeping what is there, in the file's layout.
final class RulesFileTests: XCTestCase {
    func testMergeKeepsExistingRulesAndOrderAndAddsNewDemosBesideTheirNotebook() throws {
        let before = """
            {
             "defaults": {
              "tolerance": {"relative": 0.25, "absolute": 0.05}
             },
             "demos": {
              "02-threads/race": {"mask": ["^got: +(\\\\d+)$"]},
              "03-processes/chunksize": {"unordered": true},
              "03-processes/spawn": {"optional": "^child 1 says hi$"}
             }
            }

            """
        guard case .object(let file) = try JSONReader.parse(Array(before.utf8)) else { return XCTFail() }
        XCTAssertEqual(RulesFile.text(file), before, "an unchanged file is written back byte for byte")
        let merged = RulesFile.merge(
            [
                ("02-threads/race", JSONObject([("mask", .array([.string("^other: (\\d+)$")]))])),
                ("02-threads/flaky", JSONObject([("unordered", .string("^a$"))])),
                ("03-processes/chunksize", JSONObject([("unordered", .string("^b$"))])),
                ("03-processes/spawn", JSONObject([("optional", .string("^child 2 says hi$"))])),
            ], into: file)
        let text = RulesFile.text(merged)
        XCTAssertEqual(
            text,
            """
            {
             "defaults": {
              "tolerance": {"relative": 0.25, "absolute": 0.05}
             },
             "demos": {
              "02-threads/race": {"mask": ["^got: +(\\\\d+)$", "^other: (\\\\d+)$"]},
              "02-threads/flaky": {"unordered": "^a$"},
              "03-processes/chunksize": {"unordered": true},
              "03-processes/spawn": {"optional": ["^child 1 says hi$", "^child 2 says hi$"]}
             }
            }

            """)
        // Merging the same suggestions again changes nothing.
        XCTAssertEqual(
            RulesFile.text(
                RulesFile.merge([("02-threads/flaky", JSONObject([("unordered", .string("^a$"))]))], into: merged)),
            text)
    }

    func testTheCourseRulesFileIsWrittenBackInItsOwnLayout() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("nbrun.json").path
        let bytes = try NotebookFile.readBytes(path)
        guard case .object(let file) = try JSONReader.parse(bytes) else { return XCTFail() }
        XCTAssertEqual(RulesFile.text(file), String(decoding: bytes, as: UTF8.self))
    }
}
