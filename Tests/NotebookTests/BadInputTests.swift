import Foundation
import Notebook
import XCTest

/// Every class of bad input is a clear `NotebookError`, never a crash (Corpus/bad/README.md).
final class BadInputTests: XCTestCase {
    enum Expect {
        case json(NotebookError.JSONErrorKind)
        case empty
        case format(String)
        case notebook(String)
    }

    let expectations: [String: Expect] = [
        "not-json": .json(.syntax),
        "empty": .empty,
        "whitespace-only": .empty,
        "truncated": .json(.truncated),
        "trailing-garbage": .json(.trailingData),
        "invalid-utf8": .json(.invalidUTF8),
        "bom": .json(.syntax),
        "deep-nesting": .json(.tooDeep),
        "huge-integer": .json(.integerTooLarge),
        "real-overflow": .json(.numberTooLarge),
        "nan-literal": .json(.syntax),
        "nul-in-key": .json(.nulInKey),
        "lone-surrogate": .json(.syntax),
        "top-level-array": .format("the top level is an array"),
        "nbformat-3": .format("nbformat 3 notebooks are not supported"),
        "nbformat-5": .format("nbformat 5 notebooks are not supported"),
        "nbformat-missing": .format("no \"nbformat\" version"),
        "nbformat-string": .format("\"nbformat\" is a string"),
        "cells-missing": .notebook("no \"cells\""),
        "cells-not-array": .notebook("\"cells\": is an object"),
        "cell-not-object": .notebook("cell 2: is a string"),
        "metadata-not-object": .notebook("notebook metadata: is an array"),
        "unknown-cell-type": .notebook("unknown cell_type \"sql\""),
        "future-minor-cell-without-type": .notebook("cell 2: has no \"cell_type\""),
        "future-minor-source-not-text": .notebook("cell 2: source is an integer"),
        "source-wrong-type": .notebook("source is an integer"),
        "source-list-with-number": .notebook("source list holds an integer"),
        "code-cell-without-outputs": .notebook("needs \"outputs\""),
        "outputs-not-array": .notebook("outputs is an object"),
        "output-without-output-type": .notebook("output 1: has no \"output_type\""),
        "unknown-output-type": .notebook("unknown output_type \"pyout\""),
        "stream-text-list-with-number": .notebook("text list holds an integer"),
    ]

    func testEachBadInputClassGivesItsOwnClearError() throws {
        let files = try Corpus.files("bad")
        XCTAssertEqual(
            Set(files.map { $0.deletingPathExtension().lastPathComponent }), Set(expectations.keys),
            "every bad file has an expectation here")
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            guard let expectation = expectations[name] else { continue }
            let error: NotebookError
            do {
                _ = try NotebookFile.read(file.path)
                XCTFail("\(name) was accepted")
                continue
            } catch let caught {
                error = caught
            }
            let message = error.description
            XCTAssertFalse(message.isEmpty)
            XCTAssertLessThanOrEqual(message.split(separator: "\n").count, 2, "\(name): \(message)")
            switch expectation {
            case .json(let kind):
                guard case let .invalidJSON(actual, line, _, _) = error else { XCTFail("\(name): \(error)"); continue }
                XCTAssertEqual(actual, kind, "\(name): \(message)")
                XCTAssertGreaterThan(line, 0, "\(name): jansson's line is reported")
            case .empty:
                XCTAssertEqual(error, .empty, name)
            case .format(let text):
                guard case .unsupportedFormat = error else { XCTFail("\(name): \(error)"); continue }
                XCTAssertTrue(message.contains(text), "\(name): \(message)")
            case .notebook(let text):
                guard case .invalidNotebook = error else { XCTFail("\(name): \(error)"); continue }
                XCTAssertTrue(message.contains(text), "\(name): \(message)")
            }
        }
    }

    func testMissingFilesAndDirectoriesAreIOErrors() throws {
        let directory = try Corpus.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertThrowsError(try NotebookFile.read(directory.path)) { error in
            XCTAssertEqual("\(error)", "is a directory, not a notebook file")
        }
        XCTAssertThrowsError(try NotebookFile.read(directory.appendingPathComponent("missing.ipynb").path)) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }

    func testNbformat3MessageSaysHowToUpgrade() throws {
        XCTAssertThrowsError(try NotebookFile.read(Corpus.root.appendingPathComponent("bad/nbformat-3.ipynb").path)) {
            error in
            XCTAssertTrue("\(error)".contains("upgrade"), "\(error)")
        }
    }
}
