import Engine
import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import XCTest

/// nbclient starts a notebook's kernel in the notebook's folder, so a cell that reads
/// `open('data.txt')` reads the file beside the notebook: a port is told that folder, and
/// `builtins.open` and `os.path` resolve relative paths against it, whatever nbrun's own
/// working directory is, for self-contained cells and sessions alike.
final class NotebookFolderTests: XCTestCase {
    func testRelativePathsResolveAgainstTheNotebooksFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-folder-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("first line\nsecond\n".utf8).write(to: folder.appendingPathComponent("data.txt"))

        let alone = "print(open('data.txt').readline())"
        let step = "with open('data.txt') as f: print(len(f.readlines()), os.getcwd())"
        let registry = DemoRegistry([
            Fixture.demo(alone, name: "alone", notebook: "reader") { ctx in
                ctx.print(try builtins.open("data.txt").readline(), terminator: "")
            },
            Fixture.sessionDemo(step, name: "step", notebook: "session-reader") { ctx, _ in
                let count = try builtins.open("data.txt").with { try $0.readlines().count }
                ctx.print(count, os.getcwd() == ctx.notebookFolder, os.path.exists("data.txt"))
                return .none
            },
        ])
        let plans = [
            try Fixture.plan(
                Fixture.notebook([Fixture.codeCell(alone)]), registry,
                path: folder.appendingPathComponent("reader.ipynb").path),
            try Fixture.plan(
                Fixture.notebook([Fixture.codeCell(step)]), registry,
                path: folder.appendingPathComponent("session-reader.ipynb").path),
        ]
        XCTAssertNotEqual(FileManager.default.currentDirectoryPath, folder.path)
        let results = Engine.run(plans)
        XCTAssertEqual(results.flatMap(\.failures).count, 0, "\(results.flatMap(\.failures))")
        XCTAssertEqual(Fixture.streamLines(results[0].notebook.cells[0]), ["first line"])
        XCTAssertEqual(Fixture.streamLines(results[1].notebook.cells[0]), ["2 True True"])  // as Python prints bools
    }
}
