import Foundation
import Notebook
import XCTest

/// A newer minor version may add cell and output types (nbformat's schema admits
/// "unrecognized" ones only there); a known minor may not.
final class NewerMinorTests: XCTestCase {
    func test4plus() throws -> [UInt8] {
        try Corpus.bytes(Corpus.root.appendingPathComponent("roundtrip/test4plus.ipynb"))
    }

    func testUnknownTypesOfANewerMinorAreKept() throws {
        let notebook = try NotebookFile.decode(test4plus())
        XCTAssertEqual(notebook.nbformatMinor, 99)
        let future = try XCTUnwrap(notebook.cells.first { $0.id == "future-10" })
        XCTAssertEqual(future.type, .other("future cell"))
        XCTAssertFalse(future.type.isKnown)
        XCTAssertEqual(future.extra["key"], .string("value"))
        XCTAssertNil(future.outputs)
        let code = try XCTUnwrap(notebook.cells.first { $0.id == "future-11" })
        XCTAssertEqual(code.outputs?.map(\.outputType), [.stream, .other("future output"), .stream])
        // The cell without a source is written back without one.
        let written = try XCTUnwrap(NotebookFile.decode(notebook.canonicalBytes()).cells.first { $0.id == "future-10" })
        XCTAssertEqual(written, future)
        XCTAssertFalse(String(decoding: notebook.canonicalBytes(), as: UTF8.self).contains(#""source": []"#))
    }

    func testTheSameTypesInAKnownMinorAreRefusedNamingTheCell() throws {
        for (minor, expected) in [(5, "cell 10: unknown cell_type \"future cell\""), (4, "cell 10: unknown cell_type")]
        {
            let text = String(decoding: try test4plus(), as: UTF8.self)
                .replacingOccurrences(of: "\"nbformat_minor\": 99", with: "\"nbformat_minor\": \(minor)")
            XCTAssertThrowsError(try NotebookFile.decode(Array(text.utf8))) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".contains("only a newer nbformat_minor than 5 may add cell types"), "\(error)")
            }
        }
        let outputOnly = String(decoding: try test4plus(), as: UTF8.self)
            .replacingOccurrences(of: "\"nbformat_minor\": 99", with: "\"nbformat_minor\": 5")
            .replacingOccurrences(
                of: "\"cell_type\": \"future cell\"", with: "\"cell_type\": \"raw\", \"source\": \"\"")
        XCTAssertThrowsError(try NotebookFile.decode(Array(outputOnly.utf8))) { error in
            XCTAssertTrue("\(error)".contains("cell 11, output 2: unknown output_type \"future output\""), "\(error)")
        }
    }

    func testAKnownTypeStillNeedsItsSource() throws {
        let text =
            #"{"nbformat": 4, "nbformat_minor": 99, "metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}}]}"#
        XCTAssertThrowsError(try NotebookFile.decode(Array(text.utf8))) { error in
            XCTAssertTrue("\(error)".contains("cell 1: has no \"source\""), "\(error)")
        }
    }
}
