import Foundation
import XCTest

@testable import Notebook

/// The two-core parse of large notebooks gives exactly what one whole-file parse gives,
/// errors included, and steps aside whenever the layout is unusual.
final class SplitParseTests: XCTestCase {
    /// A notebook of about `cells` x 1.2 KB, canonical layout.
    func bigNotebook(cells: Int = 1200, extra: String = "") -> [UInt8] {
        let cell = #"{"cell_type": "code", "execution_count": 1, "id": "ID", "metadata": {"tags": ["no-run"], "deep": [[[{"a": [1.5, -0.0, null, true]}]]]}, "outputs": [{"name": "stdout", "output_type": "stream", "text": ["\u001b[31mline é ✓\n", "two \"quoted\" \\ back\n"]}], "source": ["print('x')\n", "y = [1, 2, 3]  # PAD"]}"#
        let padding = String(repeating: "p", count: 900)
        let list = (0..<cells).map { cell.replacingOccurrences(of: "ID", with: "c\($0)").replacingOccurrences(of: "PAD", with: padding) }
        return Array(#"{"metadata": {"kernelspec": {"name": "python3"}}, \#(extra)"cells": [\#n \#(list.joined(separator: ",\n "))], "nbformat": 4, "nbformat_minor": 5}"#.utf8)
    }

    func parseBoth(_ bytes: [UInt8]) -> (split: Result<JSONValue, NotebookError>, whole: Result<JSONValue, NotebookError>) {
        let split: Result<JSONValue, NotebookError>
        do { split = .success(try JSONReader.parse(bytes)) } catch { split = .failure(error) }
        let whole = bytes.withUnsafeBytes { buffer -> Result<JSONValue, NotebookError> in
            do throws(NotebookError) { return .success(try JSONReader.parseWhole(buffer)) } catch { return .failure(error) }
        }
        return (split, whole)
    }

    func testLargeNotebookSplitsAndEqualsTheWholeParse() throws {
        let bytes = bigNotebook()
        XCTAssertGreaterThan(bytes.count, SplitParse.threshold)
        let layout = bytes.withUnsafeBufferPointer { CellSplitter.layout(of: $0) }
        XCTAssertEqual(layout?.elements.count, 1200, "the split path is taken")
        let split = try XCTUnwrap(bytes.withUnsafeBytes { SplitParse.parse($0) })
        let (_, whole) = parseBoth(bytes)
        XCTAssertEqual(split, try whole.get())
    }

    func testLargeNotebooksAreWrittenOnTwoCoresToTheSameBytes() throws {
        var notebook = try NotebookFile.decode(bigNotebook())
        notebook.extra["a_key_before_cells"] = .string("sorted first")
        let parallel = notebook.canonicalBytes(sizeHint: 2 * SplitParse.threshold)
        let sequential = notebook.canonicalBytes(sizeHint: 0)
        XCTAssertEqual(parallel, sequential)
        XCTAssertEqual(try NotebookFile.decode(parallel), notebook)
    }

    func testUnusualLayoutsFallBackAndStillAgree() throws {
        let cases = [
            bigNotebook(extra: #""cell\u0073": [], "#),   // a second "cells", spelled with an escape
            bigNotebook(extra: #""cells": [], "#),         // a plain duplicate
        ]
        for bytes in cases {
            XCTAssertNil(bytes.withUnsafeBytes { SplitParse.parse($0) })
            let (split, whole) = parseBoth(bytes)
            XCTAssertEqual(try split.get(), try whole.get())
        }
    }

    func testErrorsInsideACellAreTheWholeParsesErrors() throws {
        var bytes = bigNotebook()
        let needle = Array(#""id": "c900""#.utf8)
        let at = try XCTUnwrap((0..<bytes.count - needle.count).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        // A stray comma after the id's string; a raw 0xFF inside it.
        for (damage, offset, kind) in [([UInt8(ascii: ",")], needle.count, NotebookError.JSONErrorKind.syntax),
                                       ([0xFF], needle.count - 1, .invalidUTF8)] {
            var broken = bytes
            broken.insert(contentsOf: damage, at: at + offset)
            let (split, whole) = parseBoth(broken)
            XCTAssertThrowsError(try split.get()) { error in
                guard case let .invalidJSON(actual, line, _, _)? = error as? NotebookError else { return XCTFail("\(error)") }
                XCTAssertEqual(actual, kind)
                XCTAssertGreaterThan(line, 1, "the line is counted in the whole file")
            }
            if case .failure(let splitError) = split, case .failure(let wholeError) = whole {
                XCTAssertEqual(splitError, wholeError)
            }
        }
        bytes.removeAll()
    }

    func testNestingIsCheckedAgainstTheWholeDocument() throws {
        // A cell nested to exactly jansson's limit on its own is too deep inside the notebook.
        let deep = String(repeating: "[", count: 2047) + String(repeating: "]", count: 2047)
        let bytes = bigNotebook(cells: 1000).dropLast(50) + Array(", \(deep)], \"nbformat\": 4, \"nbformat_minor\": 5}".utf8)
        let (split, whole) = parseBoth(Array(bytes))
        XCTAssertThrowsError(try whole.get())
        XCTAssertThrowsError(try split.get())
    }
}
