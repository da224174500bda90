import Foundation
import XCTest

/// A course outside this repository, end to end, as its author works: `nbrun init` with
/// `--nbrun` on this checkout, `swift build` of the course (offline, its own scratch folder),
/// its binary filling in the example notebook, `scaffold --into` for a second notebook whose
/// stub is then ported, and `check` passing, then failing on an edited output.
final class CourseInitTests: XCTestCase {
    /// A notebook the course author adds: one markdown cell, one `no-run` cell with a random
    /// id (so the demo is named from its source: `counter`).
    static let counterNotebook = """
        {
         "cells": [
          {
           "cell_type": "markdown",
           "id": "about",
           "metadata": {},
           "source": [
            "Four threads count under one lock."
           ]
          },
          {
           "cell_type": "code",
           "execution_count": null,
           "id": "5f1c2a9e",
           "metadata": {
            "tags": [
             "no-run"
            ]
           },
           "outputs": [],
           "source": [
            "import threading\\n",
            "\\n",
            "counter = 0\\n",
            "lock = threading.Lock()\\n",
            "\\n",
            "def add(n):\\n",
            "    global counter\\n",
            "    for _ in range(n):\\n",
            "        with lock:\\n",
            "            counter += 1\\n",
            "\\n",
            "threads = [threading.Thread(target=add, args=(1000,)) for _ in range(4)]\\n",
            "for t in threads:\\n",
            "    t.start()\\n",
            "for t in threads:\\n",
            "    t.join()\\n",
            "print('counter:', counter)"
           ]
          }
         ],
         "metadata": {},
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """

    /// The port the author writes in place of the stub's `throw`.
    static let counterPort = """
        let counter = Locked(0)
                let lock = threading.Lock()
                let threads = (0..<4).map { _ in
                    threading.Thread { for _ in 0..<1000 { lock.withLock { counter.withLock { $0 += 1 } } } }
                }
                for t in threads { t.start() }
                for t in threads { t.join() }
                ctx.print("counter:", counter.withLock { $0 })
        """

    func testInitBuildRunScaffoldAndCheckACourseOutsideTheCheckout() throws {
        let swift = try XCTUnwrap(Self.swiftExecutable(), "swift is not on PATH")
        let directory = try TemporaryDirectory()
        let course = directory.path("demo-course")
        let initResult = try CLI.run(["init", course.path, "--nbrun", CLI.repository.path])
        XCTAssertEqual(initResult.status, 0, initResult.summary)
        let again = try CLI.run(["init", course.path, "--nbrun", CLI.repository.path])
        XCTAssertEqual(again.status, 1, "init refuses a non-empty folder: \(again.summary)")
        XCTAssertTrue(again.stderr.contains("not an empty folder"), again.summary)

        let binary = course.appendingPathComponent(".build/debug/demo-course").path
        try build(swift, in: course)

        let hello = course.appendingPathComponent("notebooks/01-hello.ipynb")
        let run = try CLI.runProgram(binary, ["notebooks/"], cwd: course, timeout: 120)
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertTrue(
            try String(contentsOf: hello, encoding: .utf8).contains(
                "\"main thread waits\\n\",\n      \"hello from a thread\\n\",\n      \"joined\\n\""),
            "the example's outputs are CPython's")

        // The course's own test of its example port.
        let courseTests = try CLI.runProgram(
            swift, ["test", "--scratch-path", course.appendingPathComponent(".build").path], cwd: course,
            timeout: 1200, environment: Self.buildEnvironment)
        XCTAssertEqual(courseTests.status, 0, courseTests.summary)
        XCTAssertTrue(courseTests.stdout.contains("Executed 2 tests, with 0 failures"), courseTests.summary)

        // A second notebook: scaffolded into the layout init made, registered by the
        // regenerated catalog, then ported.
        let counter = course.appendingPathComponent("notebooks/02-counter.ipynb")
        try Data(Self.counterNotebook.utf8).write(to: counter)
        let scaffold = try CLI.runProgram(
            binary, ["scaffold", "notebooks/02-counter.ipynb", "--into", "Sources/CoursePorts"], cwd: course)
        XCTAssertEqual(scaffold.status, 0, scaffold.summary)
        let ports = course.appendingPathComponent("Sources/CoursePorts/02-counter/Counter02.swift")
        var stub = try String(contentsOf: ports, encoding: .utf8)
        XCTAssertTrue(stub.contains("static let counter = Demo(notebook: notebook, name: \"counter\","), stub)
        let catalog = try String(
            contentsOf: course.appendingPathComponent("Sources/CoursePorts/Notebooks.swift"), encoding: .utf8)
        XCTAssertTrue(catalog.contains("[Hello01.demos, Counter02.demos]"), catalog)
        XCTAssertTrue(catalog.contains("services: CourseServices.services"), "the course's Services.swift: \(catalog)")
        let again2 = try CLI.runProgram(
            binary, ["scaffold", "notebooks/02-counter.ipynb", "--into", "Sources/CoursePorts"], cwd: course)
        XCTAssertEqual(again2.status, 1, "scaffold never overwrites a port: \(again2.summary)")

        let throwLine = try XCTUnwrap(
            stub.split(separator: "\n").first { $0.contains("throw builtins.NotImplementedError(") })
        stub = stub.replacingOccurrences(of: throwLine.trimmingCharacters(in: .whitespaces), with: Self.counterPort)
        try Data(stub.utf8).write(to: ports)
        try build(swift, in: course)

        let both = try CLI.runProgram(binary, ["notebooks/"], cwd: course, timeout: 120)
        XCTAssertEqual(both.status, 0, both.summary)
        XCTAssertTrue(try String(contentsOf: counter, encoding: .utf8).contains("\"counter: 4000\\n\""))
        let check = try CLI.runProgram(binary, ["check", "notebooks/"], cwd: course, timeout: 120)
        XCTAssertEqual(check.status, 0, check.summary)
        XCTAssertTrue(check.stderr.contains("2 notebooks, 2 cells"), check.summary)

        let golden = try String(contentsOf: hello, encoding: .utf8)
        try Data(golden.replacingOccurrences(of: "\"joined\\n\"", with: "\"joined!\\n\"").utf8).write(to: hello)
        let regression = try CLI.runProgram(binary, ["check", "notebooks/"], cwd: course, timeout: 120)
        XCTAssertEqual(regression.status, 1, regression.summary)
        XCTAssertTrue(regression.stdout.contains("01-hello/greet"), regression.summary)
    }

    /// Scaffold names demos from their cells (a readable id, else the first name the source
    /// defines, assigns or calls, else `cell-N` over code cells only), unique in the notebook.
    func testScaffoldNamesDemosFromTheirCells() throws {
        func cell(_ id: String, _ source: String, type: String = "code") -> String {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let joined = lines.enumerated().map { index, line in
                let text = index < lines.count - 1 ? line + "\\n" : line
                return "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            }.joined(separator: ", ")
            let code = type == "code" ? "\"execution_count\": null, \"outputs\": [], " : ""
            return """
                {"cell_type": "\(type)", \(code)"id": "\(id)", "metadata": {"tags": ["no-run"]}, "source": [\(joined)]}
                """
        }
        let cells = [
            cell("intro", "# Title", type: "markdown"),
            cell("barrier-demo", "b = threading.Barrier(3)"),
            cell("9c0dea3a", "import time\ndef fetch_all(urls):\n    pass"),
            cell("0d1e2f3a-4b5c", "results = [1, 2]\nprint(results)"),
            cell("a1b2c3d4", "print('hi')"),
            cell("c0ffee00", "results = 3"),
            cell("feedface", "asyncio.run(main())"),
        ]
        let text =
            "{\"cells\": [\(cells.joined(separator: ", "))], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}"
        let directory = try TemporaryDirectory()
        let notebook = try directory.write(Array(text.utf8), to: "07-names.ipynb")
        let result = try CLI.run(["scaffold", notebook.path])
        XCTAssertEqual(result.status, 0, result.summary)
        let names = result.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "Demo(notebook: notebook, name: \"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        XCTAssertEqual(names, ["barrier-demo", "fetch-all", "results", "cell-4", "results-2", "asyncio-run"])
        XCTAssertTrue(result.stdout.contains("static let barrierDemo = Demo("), result.summary)
        XCTAssertTrue(result.stdout.contains("public enum Names07"), result.summary)
    }

    /// `swift build` of the course's executable, debug, in the course's own `.build`.
    private func build(_ swift: String, in course: URL) throws {
        let started = Date()
        let result = try CLI.runProgram(
            swift,
            ["build", "--product", "demo-course", "--scratch-path", course.appendingPathComponent(".build").path],
            cwd: course, timeout: 1200, environment: Self.buildEnvironment)
        guard result.status == 0 else {
            XCTFail("swift build of the course failed: \(result.summary)")
            throw CourseBuildFailed()
        }
        print("CourseInitTests: swift build of the course took \(Int(Date().timeIntervalSince(started))) s")
    }

    private struct CourseBuildFailed: Error {}

    /// This process's environment without what `swift test` and the sanitizers set for it.
    private static var buildEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("SWIFTPM_") && !key.hasPrefix("NBRUN_") && !key.hasPrefix("TSAN_")
                && key != "LD_PRELOAD" && key != "XCTestConfigurationFilePath"
        }
    }

    private static func swiftExecutable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/swift" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
