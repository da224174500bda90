import Foundation
import XCTest

/// Regenerating a course in CI (issue 14), end to end through the built binary in a
/// temporary git repository holding a copy of the course notebooks and nbrun.json.
final class CIWorkflowTests: XCTestCase {
    static let course = CLI.repository.appendingPathComponent("notebooks/02-threads.ipynb")
    static let rules = CLI.repository.appendingPathComponent("nbrun.json")
    /// The raw-thread cell (cell 3): its `"source"` key is on this line of the golden file.
    static let rawThreadSourceLine = 54

    // MARK: - --keep-unchanged

    func testRegeneratingTheGoldenCourseTwiceLeavesTheTreeClean() throws {
        let repo = try CourseRepository()
        let before = FileSnapshot(repo.notebook)
        for round in 1...2 {
            let run = try CLI.run(["--keep-unchanged", "notebooks"], cwd: repo.url)
            XCTAssertEqual(run.status, 0, run.summary)
            XCTAssertEqual(try repo.git("status", "--porcelain"), "", "round \(round)")
            XCTAssertEqual(FileSnapshot(repo.notebook), before, "round \(round): not written at all (mtime kept)")
            XCTAssertTrue(run.stderr.hasSuffix("0 notebooks rewritten, 0 cells changed\n"), run.summary)
        }
        // Without the flag, behaviour is as before: every timing stamp is rewritten.
        XCTAssertEqual(try CLI.run(["notebooks"], cwd: repo.url).status, 0)
        XCTAssertNotEqual(try repo.git("status", "--porcelain"), "")
    }

    func testAChangedOutputRewritesOnlyThatCell() throws {
        let repo = try CourseRepository()
        try repo.edit { $0.replacingOccurrences(of: "      \"A has finished\\n\"", with: "      \"A is done\\n\"") }
        let run = try CLI.run(["--keep-unchanged", "notebooks"], cwd: repo.url)
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertTrue(run.stderr.hasSuffix("1 notebook rewritten, 1 cell changed\n"), run.summary)
        let diff = try repo.git("diff", "-U0")
        XCTAssertTrue(diff.contains("-      \"A is done\\n\"") && diff.contains("+      \"A has finished\\n\""), diff)
        // Every changed line lies in cell 3, between cell 2's source and cell 3's.
        let hunks = diff.split(separator: "\n").filter { $0.hasPrefix("@@") }
        XCTAssertFalse(hunks.isEmpty)
        for hunk in hunks {
            let old = hunk.split(separator: " ")[1].dropFirst().split(separator: ",")
            let start = Int(old[0]) ?? 0, count = old.count > 1 ? Int(old[1]) ?? 1 : 1
            XCTAssertGreaterThan(start, 21, String(hunk))
            XCTAssertLessThan(start + count, Self.rawThreadSourceLine, String(hunk))
        }
        try repo.commitAll()
        XCTAssertEqual(try CLI.run(["--keep-unchanged", "notebooks"], cwd: repo.url).status, 0)
        XCTAssertEqual(try repo.git("status", "--porcelain"), "", "the regenerated cell now matches")
    }

    // MARK: - Summary line

    func testRunAndCheckEndWithOneSummaryLineUnlessQuiet() throws {
        let repo = try CourseRepository()
        let run = try CLI.run(["-o", "out.ipynb", "notebooks/02-threads.ipynb"], cwd: repo.url)
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertEqual(run.stderrLines.count, 1, run.summary)
        XCTAssertTrue(run.stderr.hasPrefix("nbrun: 1 notebook, 9 cells in "), run.summary)
        // How many cells changed depends on the racy cells; that the line says so does not.
        XCTAssertTrue(
            run.stderr.contains(" s; 1 notebook rewritten, ") && run.stderr.hasSuffix(" changed\n"), run.summary)
        let check = try CLI.run(["check", "notebooks"], cwd: repo.url)
        XCTAssertEqual(check.status, 0, check.summary)
        XCTAssertTrue(
            check.stderr.hasPrefix("nbrun: 1 notebook, 9 cells in ") && check.stderr.hasSuffix("; 0 cells differ\n"),
            check.summary)
        for arguments in [["-q", "notebooks"], ["check", "--quiet", "notebooks"]] {
            let quiet = try CLI.run(arguments, cwd: repo.url)
            XCTAssertEqual(quiet.status, 0, quiet.summary)
            XCTAssertEqual(quiet.stderr, "", quiet.summary)
        }
    }

    // MARK: - --format github

    func testDifferingCellIsAnnotatedOnItsSourceLineWithAJobSummary() throws {
        let repo = try CourseRepository()
        try repo.edit { $0.replacingOccurrences(of: "      \"A has finished\\n\"", with: "      \"A is done\\n\"") }
        let summaryFile = repo.url.appendingPathComponent("step-summary.md")
        try Data().write(to: summaryFile)
        var environment = ProcessInfo.processInfo.environment
        environment["GITHUB_ACTIONS"] = "true"  // chooses --format github by itself
        environment["GITHUB_STEP_SUMMARY"] = summaryFile.path
        let check = try CLI.run(["check", "notebooks"], cwd: repo.url, environment: environment)
        XCTAssertEqual(check.status, 1, check.summary)
        let annotations = check.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        XCTAssertEqual(annotations.count, 1, check.summary)
        XCTAssertTrue(
            annotations[0].hasPrefix(
                "::error file=notebooks/02-threads.ipynb,line=\(Self.rawThreadSourceLine),title=nbrun%3A outputs differ%2C cell 3"
            ), check.summary)
        XCTAssertTrue(annotations[0].hasSuffix("%0A  -A is done%0A  +A has finished"), check.summary)
        let table = try String(contentsOf: summaryFile, encoding: .utf8)
        XCTAssertTrue(table.contains("| notebooks/02-threads.ipynb | 9 | 1 | 0 |"), table)
        let text = try CLI.run(["check", "--format", "text", "notebooks"], cwd: repo.url, environment: environment)
        XCTAssertFalse(text.stdout.contains("::error"), "--format text wins over GITHUB_ACTIONS")
    }

    /// A `timeout` rule in nbrun.json times out just that cell; `--timeout` overrides it.
    func testTimedOutCellIsAnnotatedAndTheTimeoutRuleApplies() throws {
        let repo = try CourseRepository(rules: #"{"demos": {"02-threads/raw-thread": {"timeout": 0.05}}}"#)
        let run = try CLI.run(["--format", "github", "notebooks"], cwd: repo.url)
        XCTAssertEqual(run.status, 1, run.summary)
        let annotations = run.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        XCTAssertEqual(annotations.count, 1, run.summary)
        // The line is where cell 3's source is in the file as written (its outputs changed).
        let lines = try String(contentsOf: repo.notebook, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let sourceLine =
            try XCTUnwrap(lines.indices.filter { lines[$0].hasPrefix("   \"source\": ") }.dropFirst(2).first) + 1
        XCTAssertTrue(
            annotations[0].hasPrefix(
                "::error file=notebooks/02-threads.ipynb,line=\(sourceLine),title=nbrun%3A cell timed out%2C cell 3"),
            run.summary)
        XCTAssertTrue(run.stderr.contains("cell 3 (id 18564342) (raw-thread) timed out after 0.05 s"), run.summary)
        try repo.git("checkout", "--", ".")
        let overridden = try CLI.run(["--timeout", "30", "notebooks"], cwd: repo.url)
        XCTAssertEqual(overridden.status, 0, overridden.summary)
    }

    func testStalePortIsAnnotatedOnTheEditedCell() throws {
        let repo = try CourseRepository()
        try repo.edit { $0.replacingOccurrences(of: "    return n * 10", with: "    return n * 100") }
        let lines = try String(contentsOf: repo.notebook, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let sourceLines = lines.indices.filter { lines[$0].hasPrefix("   \"source\": ") }.map { $0 + 1 }
        for verb in [["run"], ["check"]] {
            let result = try CLI.run(verb + ["--format", "github", "notebooks"], cwd: repo.url)
            XCTAssertEqual(result.status, 1, result.summary)
            let annotations = result.stdout.split(separator: "\n").filter { $0.hasPrefix("::error ") }
            XCTAssertEqual(annotations.count, 1, result.summary)
            XCTAssertTrue(
                annotations[0].hasPrefix(
                    "::error file=notebooks/02-threads.ipynb,line=\(sourceLines[16]),title=nbrun%3A stale port%2C cell 17"
                ), result.summary)
        }
    }

    // MARK: - --shard

    func testShardsSplitTheNotebooksOnceEach() throws {
        let directory = try TemporaryDirectory()
        let names = (1...5).map { "nb\($0).ipynb" }
        for name in names { try directory.copy(Self.course, as: name) }
        var seen: [String] = []
        for index in 1...3 {
            // Each CI machine starts from the same checkout: a run rewrites the timings
            // the split is computed from, so restore them first.
            for name in names {
                try FileManager.default.removeItem(at: directory.path(name))
                try directory.copy(Self.course, as: name)
            }
            let before = names.map { FileSnapshot(directory.path($0)) }
            let run = try CLI.run(["--shard", "\(index)/3", "-q", directory.url.path])
            XCTAssertEqual(run.status, 0, run.summary)
            let written = names.indices.filter { FileSnapshot(directory.path(names[$0])) != before[$0] }.map {
                names[$0]
            }
            XCTAssertFalse(written.isEmpty, "shard \(index)/3 ran nothing")
            seen += written
        }
        XCTAssertEqual(seen.sorted(), names, "every notebook in exactly one shard")
        let empty = try CLI.run(["check", "--shard", "6/6", directory.url.path])
        XCTAssertEqual(empty.status, 0, "an empty shard is success: \(empty.summary)")
        XCTAssertTrue(empty.stderr.hasPrefix("nbrun: 0 notebooks, 0 cells"), empty.summary)
        for bad in ["4/3", "0/3", "two"] {
            XCTAssertEqual(try CLI.run(["--shard", bad, directory.url.path]).status, 2, bad)
        }
    }

    // MARK: - --config

    func testConfigTravelsWithACopyAndBadConfigsAreRefused() throws {
        let directory = try TemporaryDirectory()  // no .git and no nbrun.json above
        let notebook = try directory.copy(Self.course, as: "02-threads.ipynb")
        let config = try directory.copy(Self.rules, as: "rules.json")
        let check = try CLI.run(["check", "--config", config.path, notebook.path])
        XCTAssertEqual(check.status, 0, check.summary)
        XCTAssertEqual(try CLI.run(["diff", "--config", config.path, notebook.path, notebook.path]).status, 0)
        let before = FileSnapshot(notebook)
        XCTAssertEqual(try CLI.run(["--keep-unchanged", "--config", config.path, notebook.path]).status, 0)
        XCTAssertEqual(FileSnapshot(notebook), before)

        // Unusable contents: exit 1 before anything runs, like a bad notebook.
        let unknown = try directory.write(
            Array(#"{"demos": {"02-threads/rcae": {"unordered": true}}}"#.utf8), to: "unknown.json")
        let notJSON = try directory.write(Array(#"{"demos": "#.utf8), to: "broken.json")
        for (file, words) in [(unknown, "no registered demo is named 02-threads/rcae"), (notJSON, "broken.json")] {
            for verb in [["check"], ["run", "--keep-unchanged"], ["diff"]] {
                let inputs = verb == ["diff"] ? [notebook.path, notebook.path] : [notebook.path]
                let result = try CLI.run(verb + ["--config", file.path] + inputs)
                XCTAssertEqual(result.status, 1, result.summary)
                XCTAssertEqual(result.stderrLines.count, 1, result.summary)
                XCTAssertTrue(
                    result.stderr.hasPrefix("nbrun: \(file.path): ") && result.stderr.contains(words), result.summary)
                XCTAssertEqual(FileSnapshot(notebook), before)
            }
        }
        // A path naming no file is a mistyped argument: a usage error.
        let missing = try CLI.run(["check", "--config", directory.path("nope.json").path, notebook.path])
        XCTAssertEqual(missing.status, 2, missing.summary)
        XCTAssertTrue(missing.stderr.contains("nope.json"), missing.summary)
        // The nbrun.json found above a notebook is held to the same rule.
        try FileManager.default.copyItem(at: unknown, to: directory.path("nbrun.json"))
        let found = try CLI.run(["check", notebook.path])
        XCTAssertEqual(found.status, 1, found.summary)
        XCTAssertTrue(found.stderr.contains("no registered demo is named 02-threads/rcae"), found.summary)
    }
}

/// A git repository in a temporary folder: notebooks/02-threads.ipynb and nbrun.json, committed.
private final class CourseRepository {
    let directory: TemporaryDirectory
    var url: URL { directory.url }
    var notebook: URL { directory.path("notebooks/02-threads.ipynb") }

    init(rules: String? = nil) throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("notebooks"), withIntermediateDirectories: true)
        try directory.copy(CIWorkflowTests.course, as: "notebooks/02-threads.ipynb")
        if let rules {
            try directory.write(Array(rules.utf8), to: "nbrun.json")
        } else {
            try directory.copy(CIWorkflowTests.rules)
        }
        try git("init", "-q")
        try commitAll()
    }

    /// Edits the committed notebook's text and commits the edit.
    func edit(_ change: (String) -> String) throws {
        let text = try String(contentsOf: notebook, encoding: .utf8)
        let edited = change(text)
        XCTAssertNotEqual(edited, text, "the edit changed nothing")
        try Data(edited.utf8).write(to: notebook)
        try commitAll()
    }

    func commitAll() throws {
        try git("add", "-A")
        try git("-c", "user.name=nbrun", "-c", "user.email=nbrun@example.invalid", "commit", "-q", "-m", "state")
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let result = try CLI.runProgram("/usr/bin/git", arguments, cwd: url)
        guard result.status == 0 else { throw CocoaError(.executableLoad, userInfo: ["git": result.summary]) }
        return result.stdout
    }
}
