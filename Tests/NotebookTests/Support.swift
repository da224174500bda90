import Foundation
import Notebook
import XCTest

/// Paths of the test corpus and the real nbformat, shared by the notebook tests.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
    static let repository = root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(_ folder: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil
        )
        .filter { $0.pathExtension == "ipynb" }
        .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// The Python that has nbformat (`make test` sets NBRUN_PYTHON to the project's venv).
    /// Without it, the tests that need the real nbformat are skipped, never faked.
    static func python() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["NBRUN_PYTHON"], !python.isEmpty else {
            throw XCTSkip("NBRUN_PYTHON is not set: run through `make test` to compare with the real nbformat")
        }
        return python
    }

    /// Runs a program; returns its exit status and what it printed on stderr.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
