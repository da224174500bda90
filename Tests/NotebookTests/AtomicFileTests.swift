import Foundation
import Notebook
import XCTest

final class AtomicFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = try Corpus.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try? FileManager.default.removeItem(at: directory)
    }

    func testReplacesContentKeepsModeAndLeavesNoTemporaryFile() throws {
        let file = directory.appendingPathComponent("a.ipynb")
        try Data("old".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        try AtomicFile.write(Array("new".utf8), to: file.path)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "new")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["a.ipynb"])
    }

    func testStaleTemporaryFilesAreRemovedAndFreshOnesKept() throws {
        let file = directory.appendingPathComponent("a.ipynb")
        let stale = directory.appendingPathComponent(".a.ipynb.nbrun-OLD123")
        let fresh = directory.appendingPathComponent(".a.ipynb.nbrun-NEW456")
        let other = directory.appendingPathComponent(".b.ipynb.nbrun-OLD789")
        for url in [stale, fresh, other] { try Data("partial".utf8).write(to: url) }
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        for url in [stale, other] {
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: url.path)
        }
        try AtomicFile.write(Array("new".utf8), to: file.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "a stale temporary of a.ipynb is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path), "a recent one may belong to a running write")
        XCTAssertTrue(FileManager.default.fileExists(atPath: other.path), "another notebook's is not ours to remove")
    }

    func testSymlinkStaysALinkAndItsTargetGetsTheContent() throws {
        let target = directory.appendingPathComponent("real.ipynb"),
            link = directory.appendingPathComponent("link.ipynb")
        try Data("old".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.ipynb")
        try AtomicFile.write(Array("new".utf8), to: link.path)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real.ipynb")
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new")
    }

    func testUnwritableDirectoryFailsClearlyAndKeepsTheOriginal() throws {
        guard getuid() != 0 else {
            // root ignores directory permissions; a missing directory fails the same path instead.
            XCTAssertThrowsError(
                try AtomicFile.write([1], to: directory.appendingPathComponent("no/such/dir/x.ipynb").path)
            ) { error in
                XCTAssertTrue("\(error)".contains("cannot write in"), "\(error)")
            }
            return
        }
        let file = directory.appendingPathComponent("a.ipynb")
        try Data("old".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        XCTAssertThrowsError(try AtomicFile.write(Array("new".utf8), to: file.path))
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "old")
    }
}
