import Foundation
import XCTest

/// `nbrun run --timeline DIR`: a picture per run cell beside the notebook, which is left alone.
final class TimelineCLITests: XCTestCase {
    func testTimelineWritesOnePicturePerCellAndNoNotebook() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(RunCommandTests.course, as: "02-threads.ipynb")
        let before = FileSnapshot(notebook)
        let pictures = directory.path("pictures")
        let result = try CLI.run(["run", "--timeline", pictures.path, notebook.path])
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(FileSnapshot(notebook), before, "--timeline writes no notebook")
        let files = try FileManager.default.contentsOfDirectory(
            atPath: pictures.appendingPathComponent("02-threads").path)
        XCTAssertEqual(files.count, 9, "\(files)")
        XCTAssertTrue(files.contains("three-threads.svg"), "\(files)")
        let svg = try String(
            contentsOf: pictures.appendingPathComponent("02-threads/three-threads.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg "))
        XCTAssertTrue(svg.contains("<title>02-threads/three-threads: &lt;timeline: 4 threads, "), svg)
    }

    func testTimelineWithOutputIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(RunCommandTests.course, as: "02-threads.ipynb")
        let result = try CLI.run(["run", "--timeline", directory.path("p").path, "-o", "-", notebook.path])
        XCTAssertEqual(result.status, 2, result.summary)
    }

    func testAnUnwritableTimelineDirectoryIsAClearError() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.copy(RunCommandTests.course, as: "02-threads.ipynb")
        let blocker = directory.path("file")
        try Data("x".utf8).write(to: blocker)
        let result = try CLI.run(["run", "--timeline", blocker.path, notebook.path])
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("cannot write timeline"), result.stderr)
    }
}
