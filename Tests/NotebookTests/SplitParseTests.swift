import Foundation
import XCTest

@testable import Notebook

/// The two-core parse of large notebooks gives exactly what one whole-file parse gives,
/// errors included, and steps aside whenever the layout is unusual.
final class SplitParseTests: XCTestCase {
    /// A notebook of about `cells` x 1.2 KB, canonical layout.
    /// `extraCell`: one more element of the cells array, as JSON text, after the others.
    func bigNotebook(cells: Int = 1200, extra: String = "", extraCell: String? = nil) -> [UInt8] {
        let cell =
            #"{"cell_type": "code", "execution_count": 1, "id": "ID", "metadata": {"tags": ["no-run"], "deep": [[[{"a": [1.5, -0.0, null, true]}]]]}, "outputs": [{"name": "stdout", "output_type": "stream", "text": ["\u001b[31mline é ✓\n", "two \"quoted\" \\ back\n"]}], "source": ["print('x')\n", "y = [1, 2, 3]  # PAD"]}"#
        let padding = String(repeating: "p", count: 900)
        let list =
            (0..<cells).map {
                cell.replacingOccurrences(of: "ID", with: "c\($0)").replacingOccurrences(of: "PAD", with: padding)
            }
            + (extraCell.map { [$0] } ?? [])
        return Array(
            #"{"metadata": {"kernelspec": {"name": "python3"}}, \#(extra)"cells": [\#n \#(list.joined(separator: ",\n "))], "nbformat": 4, "nbformat_minor": 5}"#
                .utf8)
    }

    func parseBoth(_ bytes: [UInt8]) -> (
        split: Result<JSONValue, NotebookError>, whole: Result<JSONValue, NotebookError>
    ) {
        let split: Result<JSONValue, NotebookError>
        do { split = .success(try JSONReader.parse(bytes)) } catch { split = .failure(error) }
        let whole = bytes.withUnsafeBytes { buffer -> Result<JSONValue, NotebookError> in
            do throws(NotebookError) { return .success(try JSONReader.parseWhole(buffer)) } catch {
                return .failure(error)
            }
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
            bigNotebook(extra: #""cell\u0073": [], "#),  // a second "cells", spelled with an escape
            bigNotebook(extra: #""cells": [], "#),  // a plain duplicate
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
        let at = try XCTUnwrap(
            (0..<bytes.count - needle.count).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        // A stray comma after the id's string; a raw 0xFF inside it.
        for (damage, offset, kind) in [
            ([UInt8(ascii: ",")], needle.count, NotebookError.JSONErrorKind.syntax),
            ([0xFF], needle.count - 1, .invalidUTF8),
        ] {
            var broken = bytes
            broken.insert(contentsOf: damage, at: at + offset)
            let (split, whole) = parseBoth(broken)
            XCTAssertThrowsError(try split.get()) { error in
                guard case let .invalidJSON(actual, line, _, _)? = error as? NotebookError else {
                    return XCTFail("\(error)")
                }
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
        // jansson allows 2048 levels; the notebook object and its cells array take two. A cell
        // of 2047 levels is fine parsed alone, too deep inside the notebook.
        func withCell(nestedTo depth: Int) -> [UInt8] {
            let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            return bigNotebook(cells: 1000, extraCell: deep)
        }
        let tooDeep = withCell(nestedTo: 2047)
        XCTAssertGreaterThan(tooDeep.count, SplitParse.threshold)
        let (split, whole) = parseBoth(tooDeep)
        for result in [split, whole] {
            XCTAssertThrowsError(try result.get()) { error in
                guard case .invalidJSON(.tooDeep, _, _, _)? = error as? NotebookError else {
                    return XCTFail("\(error)")
                }
            }
        }
        if case .failure(let splitError) = split, case .failure(let wholeError) = whole {
            XCTAssertEqual(splitError, wholeError, "the same line and column")
        }
        // One level less fits: the document is valid, and both parses agree.
        let deepest = parseBoth(withCell(nestedTo: 2046))
        XCTAssertEqual(try deepest.split.get(), try deepest.whole.get())
        // Shallower cells take the split path itself, and it agrees too.
        let shallow = withCell(nestedTo: SplitParse.deepestCell - 1)
        let parsed = try XCTUnwrap(shallow.withUnsafeBytes { SplitParse.parse($0) }, "the split path is taken")
        XCTAssertEqual(parsed, try parseBoth(shallow).whole.get())
    }
}
