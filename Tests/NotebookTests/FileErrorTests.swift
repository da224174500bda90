import Foundation
import Glibc
import XCTest

@testable import Notebook

/// File errors keep their cause: the path, the step that failed and the errno, while the
/// message stays the one sentence the command line prints.
final class FileErrorTests: XCTestCase {
    func folder() throws -> URL {
        let url = try Corpus.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testAMissingFileIsENOENTOnOpen() throws {
        let path = try folder().appendingPathComponent("absent.ipynb").path
        XCTAssertThrowsError(try NotebookFile.readBytes(path)) { error in
            XCTAssertEqual(error as? NotebookError, .io(path: path, operation: .open, errno: .noSuchFileOrDirectory))
            XCTAssertEqual("\(error)", "no such file or directory")
        }
    }

    func testADirectoryIsNotARegularFileForReadAndWrite() throws {
        let path = try folder().path
        XCTAssertThrowsError(try NotebookFile.readBytes(path)) { error in
            XCTAssertEqual(error as? NotebookError, .notRegularFile(path: path, isDirectory: true))
            XCTAssertEqual("\(error)", "is a directory, not a notebook file")
        }
        XCTAssertThrowsError(try AtomicFile.write([], to: path)) { error in
            XCTAssertEqual(error as? NotebookError, .notRegularFile(path: path, isDirectory: true))
        }
    }

    func testAWriteIntoAMissingFolderSaysWhereAndWhy() throws {
        let directory = try folder().appendingPathComponent("gone").path
        let path = directory + "/nb.ipynb"
        XCTAssertThrowsError(try AtomicFile.write(Array("{}".utf8), to: path)) { error in
            XCTAssertEqual(
                error as? NotebookError,
                .io(path: path, operation: .createTemporary(in: directory), errno: .noSuchFileOrDirectory))
            XCTAssertEqual("\(error)", "cannot write in \(directory): No such file or directory")
        }
    }

    /// A file-size limit makes write(2) fail with EFBIG part-way, as a full disk fails with
    /// ENOSPC; callers can tell the two apart from a permission problem.
    func testAWriteOverTheFileSizeLimitIsEFBIGAndLeavesTheOldFile() throws {
        let path = try folder().appendingPathComponent("nb.ipynb").path
        try AtomicFile.write(Array("old\n".utf8), to: path)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        let saved = limit
        limit.rlim_cur = 4096
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        defer {
            var restored = saved
            setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &restored)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try AtomicFile.write([UInt8](repeating: 0x41, count: 64 * 1024), to: path)) { error in
            XCTAssertEqual(error as? NotebookError, .io(path: path, operation: .write, errno: .fileTooLarge))
            XCTAssertEqual("\(error)", "cannot write: File too large")
        }
        XCTAssertEqual(try NotebookFile.readBytes(path), Array("old\n".utf8))
    }
}
