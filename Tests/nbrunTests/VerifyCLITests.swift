import Foundation
import XCTest

/// `nbrun verify` as a user runs it: a real kernel (the venv's nbclient + ipykernel), the
/// HTML report checked in a real headless Chromium, and the one line a bare Python gets.
final class VerifyCLITests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-verify-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// The Python with the kernel packages: `NBRUN_PYTHON` (the Makefile's venv), else the
    /// repository's `.venv`.
    private func python() throws -> String {
        if let chosen = ProcessInfo.processInfo.environment["NBRUN_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = CLI.repository.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no NBRUN_PYTHON and no .venv: make pyenv"])
        }
        return venv
    }

    private func program(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    func testTheReportRendersInHeadlessChromiumWithItsVerdictsAndNoScriptError() throws {
        let notebook = CLI.repository.appendingPathComponent("notebooks/05-coordination.ipynb").path
        let before = try Data(contentsOf: URL(fileURLWithPath: notebook))
        let page = scratch.appendingPathComponent("verify.html").path
        let junit = scratch.appendingPathComponent("verify.xml").path
        let result = try CLI.run(
            [
                "verify", "--python", python(), "--runs", "2", "--suggest-rules", "--report", page, "--junit", junit,
                notebook,
            ],
            cwd: CLI.repository, timeout: 300)
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("nbrun: verified 1 notebook, 10 cells, 2 runs each"), result.summary)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: notebook)), before, "verify writes no notebook")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        XCTAssertTrue(xml.contains(#"<testsuites name="nbrun verify" tests="10" failures="0">"#), xml)

        let chromium = try XCTUnwrap(program("chromium"), "chromium is not installed (apt-get install -y chromium)")
        let rendered = try CLI.runProgram(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                "--user-data-dir=\(scratch.appendingPathComponent("profile").path)", "--dump-dom",
                URL(fileURLWithPath: page).absoluteString,
            ], timeout: 120)
        XCTAssertEqual(rendered.status, 0, rendered.summary)
        let dom = rendered.stdout
        // The page's script ran to its end (it marks the body), and the console saw no error.
        XCTAssertTrue(dom.contains(#"<body data-ready="yes""#), dom.prefix(500).description)
        XCTAssertFalse(rendered.stderr.contains("Uncaught"), rendered.stderr)
        XCTAssertFalse(rendered.stderr.contains(#":ERROR:CONSOLE"#), rendered.stderr)
        // Every cell with its verdict, the Python source, CPython's and nbrun's runs.
        XCTAssertEqual(dom.components(separatedBy: #"<article class="cell faithful""#).count - 1, 10)
        XCTAssertEqual(dom.components(separatedBy: #"<span class="verdict">faithful</span>"#).count - 1, 10)
        XCTAssertTrue(dom.contains("CPython run 2"))
        XCTAssertTrue(dom.contains("nbrun run 2"))
        XCTAssertTrue(dom.contains("threading.Lock()"), "the cells' Python source is shown")
        XCTAssertTrue(dom.contains(#"<strong id="unfaithful-count">0</strong>"#))
    }

    func testAPythonWithoutNbclientFailsWithOneLineAndWritesNothing() throws {
        let bare = scratch.appendingPathComponent("bare").path
        let made = try CLI.runProgram(python(), ["-m", "venv", "--without-pip", bare], timeout: 120)
        XCTAssertEqual(made.status, 0, made.summary)
        let report = scratch.appendingPathComponent("verify.html").path
        let result = try CLI.run(
            ["verify", "--python", "\(bare)/bin/python", "--report", report, "notebooks/02-threads.ipynb"],
            cwd: CLI.repository, timeout: 120)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderrLines.count, 1, result.summary)
        XCTAssertTrue(
            result.stderr.hasPrefix(
                "nbrun: \(bare)/bin/python cannot import nbformat, nbclient, ipykernel: pip install"),
            result.summary)
        XCTAssertFalse(FileManager.default.fileExists(atPath: report))
        XCTAssertEqual(result.stdout, "")
    }

    func testWriteRulesMergesIntoTheRulesFileAndKeepsWhatIsThere() throws {
        let notebook = scratch.appendingPathComponent("05-coordination.ipynb").path
        try FileManager.default.copyItem(
            atPath: CLI.repository.appendingPathComponent("notebooks/05-coordination.ipynb").path, toPath: notebook)
        let before = try Data(contentsOf: URL(fileURLWithPath: notebook))
        let config = scratch.appendingPathComponent("rules.json").path
        let original = """
            {
             "defaults": {
              "tolerance": {"relative": 0.25, "absolute": 0.05}
             },
             "demos": {
              "05-coordination/deadlock": {"unordered": "^T\\\\d: "}
             }
            }

            """
        try Data(original.utf8).write(to: URL(fileURLWithPath: config))
        let result = try CLI.run(
            ["verify", "--python", python(), "--runs", "3", "--config", config, "--write-rules", notebook],
            cwd: CLI.repository, timeout: 300)
        XCTAssertTrue([0, 1].contains(result.status), result.summary)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: notebook)), before, "verify writes no notebook")
        let written = try String(contentsOfFile: config, encoding: .utf8)
        // What was there is kept, in place; anything added names a demo of the notebook.
        XCTAssertTrue(written.hasPrefix(String(original.prefix(while: { $0 != "}" })) + "}"), written)
        XCTAssertTrue(written.contains(#""05-coordination/deadlock": "#), written)
        XCTAssertTrue(written.contains(#""unordered": "^T\\d: ""#), written)
        let demos = written.components(separatedBy: #""demos": {"#).last ?? ""
        for line in demos.split(separator: "\n") where line.hasPrefix("  \"") {
            XCTAssertTrue(line.hasPrefix("  \"05-coordination/"), String(line))
        }
        // The file written is one verify (and check) can use.
        let again = try CLI.run(["check", "--config", config, notebook], cwd: CLI.repository, timeout: 300)
        XCTAssertFalse(again.stderr.contains("rules"), again.summary)
    }

    func testRunsMustBePositive() throws {
        let result = try CLI.run(["verify", "--runs", "0", "notebooks/"], cwd: CLI.repository)
        XCTAssertEqual(result.status, 2, result.summary)
        let learning = try CLI.run(["verify", "--runs", "1", "--suggest-rules", "notebooks/"], cwd: CLI.repository)
        XCTAssertEqual(learning.status, 2, learning.summary)
        XCTAssertTrue(learning.stderr.contains("--runs must be at least 2"), learning.summary)
    }
}
