import Foundation
import XCTest

/// The command line on `05-coordination`, the course's notebook written step by step.
final class SessionCLITests: XCTestCase {
    static let notebook = CLI.repository.appendingPathComponent("notebooks/05-coordination.ipynb")

    /// A hundred copies in one `check`: no false differences, and the peak memory of the
    /// whole run (measured by the parent's `getrusage`, through python3) stays in 128 MiB.
    func testAHundredCopiesCheckCleanInLittleMemory() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CLI.repository.appendingPathComponent("nbrun.json"), to: directory.path("nbrun.json"))
        for copy in 1...100 {
            let folder = directory.path("copy\(copy)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: Self.notebook, to: folder.appendingPathComponent("05-coordination.ipynb"))
        }
        let python = try XCTUnwrap(Self.python3, "python3 measures the child's peak memory")
        let measure = """
            import resource, subprocess, sys
            code = subprocess.run(sys.argv[1:]).returncode
            print('maxrss_kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
            sys.exit(code)
            """
        let result = try CLI.runProgram(
            python, ["-c", measure, try CLI.requireBinary(), "check", directory.url.path], timeout: 120)
        // check's one summary line: "nbrun: 100 notebooks, 1000 cells in 1.2 s; 0 cells differ".
        XCTAssertTrue(result.stderr.contains("nbrun: 100 notebooks, 1000 cells in "), result.summary)
        // Under a sanitizer (5-15 times slower, shadow memory of its own) measured times and
        // memory are not nbrun's: there the run must only complete; the figures hold for the
        // plain build.
        guard ProcessInfo.processInfo.environment["NBRUN_SANITIZER"] == nil else { return }
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("; 0 cells differ\n"), result.summary)
        let line = try XCTUnwrap(result.stderrLines.first { $0.hasPrefix("maxrss_kib ") }, result.summary)
        let kib = try XCTUnwrap(Int(line.dropFirst("maxrss_kib ".count)))
        XCTAssertLessThanOrEqual(kib, 128 * 1024, "peak RSS \(kib) KiB")
    }

    /// Without its `raises-exception` tag, the `queue.Empty` cell stops the notebook: exit 1,
    /// the cell named, the later cells not run and left as they were.
    func testAnUntaggedErrorStopsTheNotebook() throws {
        let directory = try TemporaryDirectory()
        var text = try String(contentsOf: Self.notebook, encoding: .utf8)
        let tagged = "\"no-run\",\n     \"raises-exception\"\n"
        XCTAssertTrue(text.contains(tagged), "the golden queue.Empty cell is tagged")
        text = text.replacingOccurrences(of: tagged, with: "\"no-run\"\n")
        let copy = try directory.write(Array(text.utf8), to: "05-coordination.ipynb")
        let result = try CLI.run(["run", copy.path], timeout: 60)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("cell 17"), result.summary)
        XCTAssertTrue(result.stderr.contains("raised Empty"), result.summary)
        XCTAssertTrue(result.stderr.contains("its 2 later cells were not run"), result.summary)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: copy)) as? [String: Any]
        let cells = try XCTUnwrap(written?["cells"] as? [[String: Any]])
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.notebook)) as? [String: Any]
        let goldenCells = try XCTUnwrap(golden?["cells"] as? [[String: Any]])
        for index in [18, 20] {
            XCTAssertEqual(
                cells[index]["execution_count"] as? Int, goldenCells[index]["execution_count"] as? Int,
                "cell \(index + 1) was not run")
            XCTAssertEqual(
                (cells[index]["metadata"] as? [String: Any])?["execution"] as? [String: String],
                (goldenCells[index]["metadata"] as? [String: Any])?["execution"] as? [String: String])
        }
        XCTAssertEqual(cells[16]["execution_count"] as? Int, 8)
    }

    func testListAndScaffoldKnowSessions() throws {
        let list = try CLI.run(["list", Self.notebook.path])
        XCTAssertEqual(list.status, 0, list.summary)
        XCTAssertTrue(list.stdout.contains("session Session: its cells run in order"), list.summary)
        XCTAssertTrue(list.stdout.contains("-> 05-coordination/deadlock"), list.summary)

        let directory = try TemporaryDirectory()
        var text = try String(contentsOf: Self.notebook, encoding: .utf8)
        text = text.replacingOccurrences(of: "time.sleep(0.1)\\n", with: "time.sleep(0.2)\\n")
        let edited = try directory.write(Array(text.utf8), to: "06-more.ipynb")
        let scaffold = try CLI.run(["scaffold", "--session", edited.path])
        XCTAssertEqual(scaffold.status, 0, scaffold.summary)
        XCTAssertTrue(scaffold.stdout.contains("final class Session: NotebookSession"), scaffold.summary)
        // 06-more is a notebook of its own: its cells will match its port only, so every
        // distinct source gets a stub, not just the edited one.
        XCTAssertEqual(scaffold.stdout.components(separatedBy: "session: Session.self").count - 1, 10, scaffold.summary)
        XCTAssertTrue(scaffold.stdout.contains("{ ctx, s in"), scaffold.summary)
        XCTAssertTrue(scaffold.stdout.contains("        var lockA: PyValue = .none\n"), scaffold.summary)
    }

    /// A notebook written step by step, as a tutorial writes it: a repeated cell, a function
    /// defined again later, globals assigned at the top level.
    func testScaffoldWritesOneStubPerSourceAndTheSessionsGlobals() throws {
        let sources = [
            "counter = 0\nlock_a = threading.Lock()\ndef work():\n    pass",
            "counter",
            "def work():\n    return 1\nstart, label = time.perf_counter(), 'go'\nMAX_N: int = 5\nif label:\n    pass\nelse: pass",
            "counter",
        ]
        let cells = sources.map { source in
            [
                "cell_type": "code", "execution_count": NSNull(), "metadata": ["tags": ["no-run"]], "outputs": [],
                "source": source,
            ] as [String: Any]
        }
        let notebook: [String: Any] = ["cells": cells, "metadata": [:], "nbformat": 4, "nbformat_minor": 4]
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            Array(try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys])), to: "07-steps.ipynb")

        let list = try CLI.run(["list", path.path])
        XCTAssertEqual(list.status, 1, "list fails as run would: \(list.summary)")
        XCTAssertTrue(list.stderr.contains("07-steps.ipynb: 4 no-run cells have no port or several"), list.summary)

        let scaffold = try CLI.run(["scaffold", "--session", path.path])
        XCTAssertEqual(scaffold.status, 0, scaffold.summary)
        let text = scaffold.stdout
        XCTAssertEqual(
            text.components(separatedBy: "session: Session.self").count - 1, 3, "one stub per source: \(text)")
        for property in [
            "var counter: Int = 0", "var lockA: PyValue = .none", "var start: PyValue = .none",
            "var label: PyValue = .none", "var maxN: Int = 0",
        ] {
            XCTAssertTrue(text.contains(property), "\(property) in \(text)")
        }
        XCTAssertTrue(text.contains("`def work` is defined in 2 cells"), text)
        XCTAssertFalse(text.contains("var else"), "a keyword is no global: \(text)")
        // The demo of `counter = 0` is not named `counter`, which the session's global is.
        XCTAssertTrue(text.contains("name: \"counter-cell\""), text)
        XCTAssertFalse(text.contains("static let counter "), text)
    }

    static var python3: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
