import Foundation
import Notebook
import XCTest

/// nbrun writes the very bytes nbformat writes, checked over a corpus whose expected
/// files were produced by the real nbformat (scripts/make-corpus.py).
final class RoundTripTests: XCTestCase {
    func testEveryCorpusNotebookIsWrittenAsNbformatWritesIt() throws {
        let inputs = try Corpus.files("roundtrip")
        XCTAssertGreaterThanOrEqual(inputs.count, 20)
        var compared = 0
        for input in inputs {
            let expectedURL = Corpus.root.appendingPathComponent("expected").appendingPathComponent(
                input.lastPathComponent)
            guard FileManager.default.fileExists(atPath: expectedURL.path) else { continue }  // needs-ids.txt
            let notebook = try NotebookFile.decode(Corpus.bytes(input))
            let written = notebook.canonicalBytes()
            let expected = try Corpus.bytes(expectedURL)
            XCTAssertEqual(
                written, expected,
                "\(input.lastPathComponent): first difference at byte \(firstDifference(written, expected))")
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 20)
    }

    func testCanonicalFilesAreFixedPoints() throws {
        for file in try Corpus.files("expected") {
            let bytes = try Corpus.bytes(file)
            XCTAssertEqual(try NotebookFile.decode(bytes).canonicalBytes(), bytes, file.lastPathComponent)
        }
    }

    func testReadingKeepsTheWholeDocument() throws {
        let notebook = try NotebookFile.read(Corpus.root.appendingPathComponent("roundtrip/unknown-keys.ipynb").path)
        XCTAssertFalse(notebook.extra.isEmpty, "unknown top-level keys are kept")
        let rich = try NotebookFile.read(Corpus.root.appendingPathComponent("roundtrip/outputs-rich.ipynb").path)
        let types = Set(rich.cells.flatMap { $0.outputs ?? [] }.map(\.outputType.name))
        XCTAssertTrue(types.isSuperset(of: ["display_data", "execute_result"]), "\(types)")
        let numbers = try NotebookFile.read(Corpus.root.appendingPathComponent("roundtrip/numbers.ipynb").path)
        let values = Self.scalars(numbers.json)
        XCTAssertTrue(values.contains(.int(9_223_372_036_854_775_807)))
        XCTAssertTrue(values.contains(.real(1.0)), "1.0 stays a real")
    }

    /// The corpus's expected bytes still match what the installed nbformat writes.
    func testExpectedFilesAgreeWithTheRealNbformat() throws {
        let python = try Corpus.python()
        let script = Corpus.repository.appendingPathComponent("scripts/make-corpus.py").path
        let result = try Corpus.run(python, [script, "--check"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// A 4.5 notebook without ids gets deterministic ids that nbformat validates and keeps.
    func testMissingIdsAreFilledValidlyAndNbformatKeepsThem() throws {
        let python = try Corpus.python()
        let input = Corpus.root.appendingPathComponent("roundtrip/course-02-threads-noids.ipynb")
        var notebook = try NotebookFile.read(input.path)
        XCTAssertGreaterThan(notebook.assignMissingCellIDs(), 0)
        let directory = try Corpus.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ours = directory.appendingPathComponent("ours.ipynb"),
            theirs = directory.appendingPathComponent("theirs.ipynb")
        try NotebookFile.write(notebook, to: ours.path)
        let result = try Corpus.run(
            python,
            [Corpus.repository.appendingPathComponent("scripts/nbformat-rewrite.py").path, ours.path, theirs.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try Corpus.bytes(ours), try Corpus.bytes(theirs))
    }

    private func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }

    private static func scalars(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let items): items.flatMap(scalars)
        case .object(let object): object.members.flatMap { scalars($0.value) }
        default: [value]
        }
    }
}
