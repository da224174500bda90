import Foundation
import Glibc
import XCTest

/// The second round of hostile notebooks and rules (issue 33): a recorded timing that held a
/// cell back forever, pattern budgets that could be escaped, `diff` on a repeated cell id and
/// on long outputs, full stdout and stderr, symlink loops, malformed rules files, workflow
/// commands smuggled into the text report, and files too large to read.
extension HostileInputTests {
    static let course = CLI.repository.appendingPathComponent("notebooks/02-threads.ipynb")

    /// The golden 02-threads notebook as JSON, changed by `edit`, written to `name` in
    /// `directory` beside the repository's nbrun.json.
    func courseNotebook(
        in directory: TemporaryDirectory, as name: String, edit: (inout [[String: Any]]) throws -> Void
    ) throws -> URL {
        var notebook = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: Self.course)) as? [String: Any])
        var cells = try XCTUnwrap(notebook["cells"] as? [[String: Any]])
        try edit(&cells)
        notebook["cells"] = cells
        if !FileManager.default.fileExists(atPath: directory.path("nbrun.json").path) {
            try directory.copy(CLI.repository.appendingPathComponent("nbrun.json"))
        }
        return try directory.write(
            Array(try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys])), to: name)
    }

    /// A notebook of code cells, each `(id, stdout text, metadata.nbrun)`.
    func outputsNotebook(_ cells: [(id: String, text: String, rules: [String: Any]?)]) throws -> [UInt8] {
        let json: [[String: Any]] = cells.map { cell in
            [
                "cell_type": "code", "id": cell.id, "execution_count": 1, "source": "print()",
                "metadata": cell.rules.map { ["nbrun": $0] } ?? [:],
                "outputs": [["output_type": "stream", "name": "stdout", "text": cell.text]],
            ]
        }
        let notebook: [String: Any] = ["nbformat": 4, "nbformat_minor": 5, "metadata": [:], "cells": json]
        return Array(try JSONSerialization.data(withJSONObject: notebook, options: [.sortedKeys]))
    }

    /// Runs nbrun through `sh -c` with `redirect` (`>/dev/full`) applied to it.
    func runRedirected(_ arguments: [String], _ redirect: String, in directory: TemporaryDirectory) throws -> CLIResult
    {
        try CLI.runProgram(
            "/bin/sh", ["-c", "exec \"$0\" \"$@\" \(redirect)", try CLI.requireBinary()] + arguments,
            cwd: directory.url, timeout: 60)
    }

    /// No line a GitHub runner would take for a workflow command: no carriage return (it
    /// starts a line for the runner), no line starting with `::` after spaces.
    func assertNoWorkflowCommand(_ text: String, _ context: String, file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertFalse(text.unicodeScalars.contains("\r"), "\(context): a raw CR", file: file, line: line)
        for row in text.split(separator: "\n") {
            XCTAssertFalse(
                row.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("::"), "\(context): \(row)", file: file,
                line: line)
        }
    }

    // MARK: - Recorded timings are hints

    /// A reply recorded a day before its input used to hold the cell back forever on a quiet
    /// machine (the one-core pacing's horizon became a day).
    func testACellRecordedADayEarlyDoesNotDelayCheck() throws {
        let directory = try TemporaryDirectory()
        let notebook = try courseNotebook(in: directory, as: "02-threads.ipynb") { cells in
            let index = try XCTUnwrap(cells.firstIndex { $0["id"] as? String == "18564342" })
            var metadata = try XCTUnwrap(cells[index]["metadata"] as? [String: Any])
            var execution = try XCTUnwrap(metadata["execution"] as? [String: Any])
            execution["shell.execute_reply"] = "2026-11-25T10:11:41.477575Z"  // input: the 26th
            metadata["execution"] = execution
            cells[index]["metadata"] = metadata
        }
        let before = FileSnapshot(notebook)
        let result = try CLI.run(["check", "02-threads.ipynb"], cwd: directory.url, timeout: 120)
        assertNoCrash(result, context: "check with a cell recorded a day early")
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertTrue(result.stderr.contains("nbrun: 1 notebook, 9 cells in "), result.summary)
        XCTAssertEqual(FileSnapshot(notebook), before)
    }

    // MARK: - Workflow commands in the text report

    /// A committed output with `\r::error ...` would be printed raw in the diff, where a
    /// GitHub runner reads a workflow command after the CR: an annotation a PR could forge.
    func testCheckAndDiffEscapeCarriageReturnsAndLeadingColons() throws {
        let directory = try TemporaryDirectory()
        let spoof = "x\r::error file=README.md,line=1::forged\n::warning::forged too\n  ::notice::also\n"
        try directory.write(try outputsNotebook([("a", spoof + "::notice::shared\n", nil)]), to: "old.ipynb")
        try directory.write(try outputsNotebook([("a", "y\n::notice::shared\n", nil)]), to: "new.ipynb")
        let diff = try CLI.run(["diff", "old.ipynb", "new.ipynb"], cwd: directory.url)
        assertNoCrash(diff, context: "diff")
        XCTAssertEqual(diff.status, 1, diff.summary)
        XCTAssertTrue(diff.stdout.contains(#"  -x\r::error file=README.md"#), diff.summary)
        XCTAssertTrue(diff.stdout.contains(#"   \::notice::shared"#), diff.summary)
        assertNoWorkflowCommand(diff.stdout + diff.stderr, "diff")

        let notebook = try courseNotebook(in: directory, as: "02-threads.ipynb") { cells in
            let index = try XCTUnwrap(cells.firstIndex { $0["id"] as? String == "18564342" })
            var outputs = try XCTUnwrap(cells[index]["outputs"] as? [[String: Any]])
            outputs.append(["output_type": "stream", "name": "stdout", "text": spoof])
            cells[index]["outputs"] = outputs
        }
        let check = try CLI.run(["check", "--format", "text", "02-threads.ipynb"], cwd: directory.url, timeout: 120)
        assertNoCrash(check, context: "check")
        XCTAssertEqual(check.status, 1, check.summary)
        XCTAssertTrue(check.stdout.contains("outputs differ from the committed notebook"), check.summary)
        assertNoWorkflowCommand(check.stdout + check.stderr, "check")
        XCTAssertTrue(FileManager.default.fileExists(atPath: notebook.path))
    }

    // MARK: - diff

    /// A pasted cell repeats an id: `diff` used to die with "Duplicate values for key".
    func testDiffWithARepeatedCellIDPairsInOrderAndReportsTheExtraCell() throws {
        let directory = try TemporaryDirectory()
        try directory.write(try outputsNotebook([("a", "1\n", nil), ("b", "2\n", nil)]), to: "old.ipynb")
        try directory.write(
            try outputsNotebook([("a", "1\n", nil), ("b", "2\n", nil), ("a", "3\n", nil)]), to: "new.ipynb")
        let result = try CLI.run(["diff", "old.ipynb", "new.ipynb"], cwd: directory.url)
        assertNoCrash(result, context: "diff with a repeated id")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stdout.contains("cell 3 (id a): only in new.ipynb"), result.summary)
        let driver = try CLI.run(
            ["diff", "nb.ipynb", "old.ipynb", "0000000", "100644", "new.ipynb", "1111111", "100644"],
            cwd: directory.url)
        assertNoCrash(driver, context: "diff as git's driver")
        XCTAssertEqual(driver.status, 0, driver.summary)
        XCTAssertTrue(driver.stdout.contains("only in new"), driver.summary)
    }

    /// 10,000 output lines with one changed: a quadratic diff took minutes and 800 MB.
    func testDiffOfLongOutputsShowsTheOneChangedLine() throws {
        let directory = try TemporaryDirectory()
        var lines = (0..<10_000).map { "line \($0) of the output" }
        try directory.write(try outputsNotebook([("a", lines.joined(separator: "\n") + "\n", nil)]), to: "old.ipynb")
        lines[5_000] = "changed"
        try directory.write(try outputsNotebook([("a", lines.joined(separator: "\n") + "\n", nil)]), to: "new.ipynb")
        let result = try CLI.run(["diff", "old.ipynb", "new.ipynb"], cwd: directory.url, timeout: 60)
        assertNoCrash(result, context: "diff of 10,000 lines")
        XCTAssertEqual(result.status, 1, result.summary)
        let changes = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  -") || $0.hasPrefix("  +") }
        XCTAssertEqual(changes, ["  -line 5000 of the output", "  +changed"], result.summary)
    }

    // MARK: - Pattern budgets end to end

    func testRulesThatSpendTheNotebooksBudgetFailWithOneLine() throws {
        let directory = try TemporaryDirectory()
        let line = String(repeating: "y", count: 10_000)
        let xs = String(repeating: String(repeating: "x", count: 21) + "\n", count: 10_000)
        let cases: [(String, String, [String: Any], String)] = [
            (
                "empty-masks", line + "\n", ["mask": ["(?=)", "(?=)", "(?=)", "(?=)"]],
                "was stopped when the notebook's rules"
            ),
            ("back-reference", line + "\n", ["mask": #"^(a+)\1b"#], "back-references"),
            // ~0.085 s a line, under the line's 0.2 s: unbounded, 850 s.
            ("many-lines", xs, ["mask": "(x+x+)+y"], "was stopped when the notebook's rules had used their 5."),
        ]
        for (name, text, rules, expected) in cases {
            try directory.write(try outputsNotebook([("a", text, rules)]), to: "\(name).ipynb")
            let result = try CLI.run(["diff", "\(name).ipynb", "\(name).ipynb"], cwd: directory.url, timeout: 60)
            assertNoCrash(result, context: name)
            XCTAssertEqual(result.status, 1, result.summary)
            XCTAssertEqual(result.stderrLines.count, 1, result.summary)
            XCTAssertTrue(result.stderr.contains("cell 1 (id a): metadata.nbrun: "), result.summary)
            XCTAssertTrue(result.stderr.contains(expected), result.summary)
        }
    }

    // MARK: - Full stdout and stderr

    func testAFullStdoutOrStderrIsExitOneNotACrash() throws {
        let directory = try TemporaryDirectory()
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        try directory.write(try outputsNotebook([("a", "1\n", nil)]), to: "old.ipynb")
        try directory.write(try outputsNotebook([("a", "2\n", nil)]), to: "new.ipynb")
        for (arguments, redirect, says) in [
            (["fmt", "-o", "-", "good.ipynb"], ">/dev/full", true),
            (["run", "-o", "-", "good.ipynb"], ">/dev/full", true),
            (["list", "good.ipynb"], ">/dev/full", true), (["diff", "old.ipynb", "new.ipynb"], ">/dev/full", true),
            (["check", "good.ipynb"], "2>/dev/full", false), (["fmt", "missing.ipynb"], "2>/dev/full", false),
        ] {
            let result = try runRedirected(arguments, redirect, in: directory)
            let context = "nbrun \(arguments.joined(separator: " ")) \(redirect)"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            if says {
                XCTAssertTrue(result.stderr.contains("No space left on device"), "\(context): \(result.summary)")
            }
        }
    }

    // MARK: - Symlink loops

    func testOutputOntoASymlinkLoopIsRefusedAndTheLinksKept() throws {
        let directory = try TemporaryDirectory()
        XCTAssertEqual(symlink("b.ipynb", directory.path("a.ipynb").path), 0)
        XCTAssertEqual(symlink("a.ipynb", directory.path("b.ipynb").path), 0)
        try directory.write(Array(try nonCanonicalNotebookBytes()), to: "in.ipynb")
        for arguments in [["fmt", "-o", "a.ipynb", "in.ipynb"], ["run", "-o", "a.ipynb", "in.ipynb"]] {
            let result = try CLI.run(arguments, cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " "))"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.hasPrefix("nbrun: a.ipynb: "), "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("Too many levels of symbolic links"), "\(context): \(result.summary)")
            for name in ["a.ipynb", "b.ipynb"] {
                var info = stat()
                XCTAssertEqual(lstat(directory.path(name).path, &info), 0)
                XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK, "\(context): \(name) is no longer a link")
            }
            XCTAssertEqual(strayTemporaryFiles(directory.url), [], context)
        }
    }

    func testReadingASymlinkLoopSaysSoUnderEveryVerb() throws {
        let directory = try TemporaryDirectory()
        XCTAssertEqual(symlink("loop.ipynb", directory.path("loop.ipynb").path), 0)
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for verb in Self.verbs {
            let arguments = verb.arguments("loop.ipynb", "good.ipynb")
            try assertFailsCleanly(
                arguments, in: directory, naming: "loop.ipynb", watching: [], context: "\(verb.label) on a symlink loop"
            )
            let result = try CLI.run(arguments, cwd: directory.url)
            XCTAssertTrue(
                result.stderr.contains("Too many levels of symbolic links"), "\(verb.label): \(result.summary)")
            XCTAssertFalse(result.stderr.contains("no such file"), "\(verb.label): \(result.summary)")
        }
    }

    /// A rules file that is a symlink loop is the rules' error, not "no rules" nor "no such file".
    func testARulesFileThatIsASymlinkLoopIsReported() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path(".git"), withIntermediateDirectories: false)
        try directory.write(try outputsNotebook([("a", "1\n", nil)]), to: "nb.ipynb")
        XCTAssertEqual(symlink("nbrun.json", directory.path("nbrun.json").path), 0)
        for arguments in [
            ["diff", "nb.ipynb", "nb.ipynb"], ["diff", "--config", "nbrun.json", "nb.ipynb", "nb.ipynb"],
        ] {
            let result = try CLI.run(arguments, cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " "))"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("nbrun.json"), "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("Too many levels of symbolic links"), "\(context): \(result.summary)")
        }
    }

    // MARK: - Malformed rules files

    func testEveryMalformedRulesFileIsAnErrorNamingTheFileAndTheKey() throws {
        let directory = try TemporaryDirectory()
        try directory.write(try outputsNotebook([("a", "1\n", nil)]), to: "nb.ipynb")
        let cases: [(String, String)] = [
            (#"{"defaults": 5, "demos": {}}"#, "\"defaults\" must be an object"),
            (#"{"defaults": {}, "demos": ["02-threads/race"]}"#, "\"demos\" must be an object"),
            (#"{"demos": null}"#, "\"demos\" must be an object"),
            (#"{"defaults": {"mask": 5}}"#, "\"mask\" must be a regular expression"),
            (#"{"defaults": {"tolerance": {"relative": "x"}}}"#, "tolerance \"relative\""),
            (#"{"defaults": {"unordered": [1]}}"#, "\"unordered\" must be"),
            (#"{"defaults": {"skip": "yes"}}"#, "\"skip\" must be"),
            (#"{"defaults": {"timeout": -1}}"#, "\"timeout\" must be"),
            (#"{"demos": {"02-threads/race": 5}}"#, "demos.02-threads/race must be an object"),
            (#"{"rules": {}}"#, "unknown key \"rules\""),
            ("[]", "must hold a JSON object"),
            ("{", "rules.json"),
        ]
        for (text, expected) in cases {
            try directory.write(Array(text.utf8), to: "rules.json")
            let result = try CLI.run(["diff", "--config", "rules.json", "nb.ipynb", "nb.ipynb"], cwd: directory.url)
            assertNoCrash(result, context: text)
            XCTAssertEqual(result.status, 1, "\(text): \(result.summary)")
            XCTAssertTrue(result.stderr.hasPrefix("nbrun: rules.json: "), "\(text): \(result.summary)")
            XCTAssertTrue(result.stderr.contains(expected), "\(text): \(result.summary)")
            XCTAssertLessThanOrEqual(result.stderrLines.count, 2, "\(text): \(result.summary)")
        }
    }

    // MARK: - Files too large to read

    /// A 2 GB file used to be read whole (2 GB resident) before being refused as truncated
    /// JSON, a 16 GB one to end in an allocation failure: the size is checked first.
    func testFilesBeyondTheSizeLimitAreRefusedBeforeReading() throws {
        let directory = try TemporaryDirectory()
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for (name, size) in [("2gb.ipynb", Int64(2) << 30), ("16gb.ipynb", Int64(16) << 30)] {
            let path = directory.path(name).path
            let descriptor = open(path, O_WRONLY | O_CREAT, 0o644)
            XCTAssertGreaterThanOrEqual(descriptor, 0)
            guard ftruncate(descriptor, off_t(size)) == 0 else {
                close(descriptor)
                throw XCTSkip("cannot make a sparse \(name) here: \(String(cString: strerror(errno)))")
            }
            close(descriptor)
            for verb in Self.verbs {
                let arguments = verb.arguments(name, "good.ipynb")
                try assertFailsCleanly(
                    arguments, in: directory, naming: name, watching: [], timeout: 20,
                    context: "\(verb.label) on \(name)")
                let result = try CLI.run(arguments, cwd: directory.url, timeout: 20)
                XCTAssertTrue(result.stderr.contains("the file is too large"), "\(verb.label): \(result.summary)")
            }
            unlink(path)
        }
    }

    // MARK: - The hostile corpus

    /// Every file of `Corpus/hostile` (the fuzzers' seeds for these cases) under the read-only
    /// verbs: an answer or a clean error, in bounded time, never a crash.
    func testTheHostileCorpusUnderTheReadOnlyVerbs() throws {
        let corpus = CLI.badCorpus.deletingLastPathComponent().appendingPathComponent("hostile")
        let files = try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "ipynb" }
        XCTAssertGreaterThanOrEqual(files.count, 10, "the hostile corpus is missing")
        let directory = try TemporaryDirectory()
        for file in files {
            let name = file.lastPathComponent
            let input = try directory.copy(file)
            let before = FileSnapshot(input)
            for arguments in [["diff", name, name], ["list", name], ["fmt", "--check", name]] {
                let result = try CLI.run(arguments, cwd: directory.url, timeout: 60)
                let context = "nbrun \(arguments.joined(separator: " "))"
                assertNoCrash(result, context: context)
                XCTAssertTrue([0, 1].contains(result.status), "\(context): \(result.summary)")
                XCTAssertLessThanOrEqual(result.stderrLines.count, 2, "\(context): \(result.summary)")
                assertNoWorkflowCommand(result.stdout + result.stderr, context)
            }
            XCTAssertEqual(FileSnapshot(input), before, name)
        }
    }
}
