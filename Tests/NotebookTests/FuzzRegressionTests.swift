import Foundation
import Notebook
import XCTest

/// The fuzzer's property (Fuzz/FuzzNotebook.swift), checked on every input it ever crashed
/// on (Corpus/fuzz-regressions/) and on the rest of its seeds (Corpus/roundtrip/, Corpus/bad/,
/// the one corpus scripts/fuzz.sh starts from): reading never
/// crashes, and whatever reads as a notebook survives read -> write -> read unchanged, with
/// canonical bytes that are a fixed point (also after cell ids are filled in, as fmt does).
final class FuzzRegressionTests: XCTestCase {
    func testFuzzRegressionsReadWriteReadAgree() throws {
        let files = try inputs(Corpus.root.appendingPathComponent("fuzz-regressions"))
        XCTAssertFalse(files.isEmpty, "Corpus/fuzz-regressions holds no inputs")
        for file in files { try check(file) }
    }

    func testFuzzSeedCorpusReadWriteReadAgrees() throws {
        let files =
            try inputs(Corpus.root.appendingPathComponent("roundtrip"))
            + inputs(Corpus.root.appendingPathComponent("bad"))
        XCTAssertGreaterThan(files.count, 40, "the seed corpus is missing")
        for file in files { try check(file) }
    }

    /// Every regular file of `folder` except READMEs (fuzz inputs need not end in .ipynb).
    private func inputs(_ folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix("README") && !$0.hasDirectoryPath }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    private func check(_ file: URL) throws {
        let name = file.lastPathComponent
        let bytes = try Corpus.bytes(file)

        // JSON level: what jansson reads, JSONWriter writes back readably and stably.
        if let value = try? JSONReader.parse(bytes) {
            let written = JSONWriter.bytes(value)
            do {
                let again = try JSONReader.parse(written)
                XCTAssertEqual(again, value, "\(name): JSON read -> write -> read changed the value")
                XCTAssertEqual(JSONWriter.bytes(again), written, "\(name): JSONWriter is not a fixed point")
            } catch {
                XCTFail("\(name): JSONWriter wrote JSON that JSONReader refuses: \(error)")
            }
        }

        // Notebook level.
        let notebook: Notebook
        do {
            notebook = try NotebookFile.decode(bytes)
        } catch {
            XCTAssertFalse(error.description.isEmpty, "\(name): an error without a message")
            return
        }
        let reread = try roundTrip(notebook, name: name, what: "read")
        XCTAssertEqual(reread, notebook)

        var withIDs = notebook
        let added = withIDs.assignMissingCellIDs()
        if withIDs.usesCellIDs {
            XCTAssertTrue(withIDs.cells.allSatisfy { $0.id != nil }, "\(name): a cell left without an id")
        }
        guard added > 0 else { return }  // else the same notebook as above
        var again = try roundTrip(withIDs, name: name, what: "read + assignMissingCellIDs")
        XCTAssertEqual(again.assignMissingCellIDs(), 0, "\(name): ids were added twice")
    }

    /// Canonical bytes decode to an equal notebook whose canonical bytes are identical.
    private func roundTrip(_ notebook: Notebook, name: String, what: String) throws -> Notebook {
        let canonical = notebook.canonicalBytes()
        let reread: Notebook
        do {
            reread = try NotebookFile.decode(canonical)
        } catch {
            XCTFail("\(name) (\(what)): canonical bytes do not decode: \(error)")
            return notebook
        }
        XCTAssertEqual(reread, notebook, "\(name) (\(what)): read -> write -> read gives a different notebook")
        XCTAssertEqual(reread.canonicalBytes(), canonical, "\(name) (\(what)): canonical bytes are not a fixed point")
        return reread
    }
}
