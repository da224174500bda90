import Foundation
import Glibc
import XCTest

/// End-to-end: every verb of the built `nbrun`, given input that is not a notebook it can
/// use, must fail cleanly: exit 1 (2 for usage errors), a short `nbrun: PATH: ...` message
/// naming the file, no crash, and nothing on disk changed (bytes, mtime, no temp files).
final class HostileInputTests: XCTestCase {
    /// A verb given one bad input `name` (relative to the working directory); `good` is a
    /// valid notebook next to it, for `diff`.
    struct Verb: Sendable {
        var label: String
        var arguments: @Sendable (_ name: String, _ good: String) -> [String]
    }

    static let verbs: [Verb] = [
        Verb(label: "run (default verb)") { name, _ in [name] },
        Verb(label: "run") { name, _ in ["run", name] },
        Verb(label: "fmt") { name, _ in ["fmt", name] },
        Verb(label: "fmt --check") { name, _ in ["fmt", "--check", name] },
        Verb(label: "fmt -o") { name, _ in ["fmt", "-o", "formatted-output.ipynb", name] },
        Verb(label: "list") { name, _ in ["list", name] },
        Verb(label: "scaffold") { name, _ in ["scaffold", name] },
        Verb(label: "check") { name, _ in ["check", name] },
        Verb(label: "diff BAD GOOD") { name, good in ["diff", name, good] },
        Verb(label: "diff GOOD BAD") { name, good in ["diff", good, name] },
    ]

    /// Verbs that take directories (`scaffold` and `diff` take single files).
    static var directoryVerbs: [Verb] {
        verbs.filter { !$0.label.hasPrefix("scaffold") && !$0.label.hasPrefix("diff") }
    }

    static let crashMarkers = [
        "Fatal error", "Stack dump", "Backtrace", "Segmentation fault", "Illegal instruction",
        "*** Signal", "Current stack trace", "AddressSanitizer", "Assertion failed",
    ]

    // MARK: - The bad-input corpus, every verb

    func testEveryBadCorpusFileFailsCleanlyUnderEveryVerb() throws {
        let files = try FileManager.default.contentsOfDirectory(at: CLI.badCorpus, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "ipynb" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 20, "the bad corpus is missing")
        let verbs = Self.verbs
        for file in files {
            let directory = try TemporaryDirectory()
            let input = try directory.copy(file)
            try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
            for verb in verbs {
                try assertFailsCleanly(
                    verb.arguments(input.lastPathComponent, "good.ipynb"), in: directory,
                    naming: input.lastPathComponent, watching: [input],
                    context: "\(verb.label) on bad/\(file.lastPathComponent)")
            }
        }
    }

    /// The classes the corpus covers, spelled out, so a corpus change cannot drop one silently.
    func testTheBadCorpusCoversEveryHostileClass() throws {
        for name in [
            "not-json", "empty", "truncated", "trailing-garbage", "invalid-utf8", "deep-nesting",
            "huge-integer", "source-wrong-type", "cells-not-array", "metadata-not-object",
            "top-level-array", "nbformat-3",
        ] {
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: CLI.badCorpus.appendingPathComponent("\(name).ipynb").path),
                "bad/\(name).ipynb is missing")
        }
    }

    /// Hostile inputs made here rather than kept in the corpus: deeper than any parser
    /// limit, integers far past 64 bits, wrong types in every slot, binary noise.
    func testGeneratedHostileInputsFailCleanly() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let cases: [(String, [UInt8])] = [
            (
                "deep-arrays.ipynb",
                Array("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"x\": \(deep)}, \"cells\": []}".utf8)
            ),
            ("deep-top.ipynb", Array(deep.utf8)),
            (
                "huge-nbformat.ipynb",
                Array("{\"nbformat\": \(String(repeating: "9", count: 5000)), \"cells\": []}".utf8)
            ),
            (
                "negative-huge.ipynb",
                Array("{\"nbformat\": 4, \"nbformat_minor\": -99999999999999999999999, \"cells\": []}".utf8)
            ),
            (
                "nbformat-real.ipynb",
                Array("{\"nbformat\": 4.0, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": []}".utf8)
            ),
            (
                "minor-string.ipynb",
                Array("{\"nbformat\": 4, \"nbformat_minor\": \"5\", \"metadata\": {}, \"cells\": []}".utf8)
            ),
            (
                "cells-null.ipynb",
                Array("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": null}".utf8)
            ),
            (
                "cell-type-number.ipynb",
                Array(
                    "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": 7, \"source\": \"\", \"metadata\": {}}]}"
                        .utf8)
            ),
            (
                "id-number.ipynb",
                Array(
                    "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"raw\", \"id\": 1, \"source\": \"\", \"metadata\": {}}]}"
                        .utf8)
            ),
            (
                "execution-count-string.ipynb",
                Array(
                    "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"execution_count\": \"1\", \"source\": \"\", \"metadata\": {}, \"outputs\": []}]}"
                        .utf8)
            ),
            (
                "attachment-not-object.ipynb",
                Array(
                    "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"markdown\", \"attachments\": {\"a.png\": 3}, \"source\": \"\", \"metadata\": {}}]}"
                        .utf8)
            ),
            ("string-top.ipynb", Array("\"just a string\"".utf8)),
            ("null-top.ipynb", Array("null".utf8)),
            ("binary.ipynb", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }),
            ("nul-bytes.ipynb", [UInt8](repeating: 0, count: 100)),
            ("utf16.ipynb", [0xFF, 0xFE] + Array("{}".utf8).flatMap { [$0, 0] }),
            (
                "overlong-utf8.ipynb",
                Array("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"a\": \"".utf8) + [0xC0, 0xAF]
                    + Array("\"}, \"cells\": []}".utf8)
            ),
            ("truncated-escape.ipynb", Array("{\"nbformat\": 4, \"metadata\": {\"a\": \"\\u12".utf8)),
        ]
        let verbs = Self.verbs
        let directory = try TemporaryDirectory()
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for (name, bytes) in cases {
            let input = try directory.write(bytes, to: name)
            for verb in verbs {
                try assertFailsCleanly(
                    verb.arguments(name, "good.ipynb"), in: directory, naming: name,
                    watching: [input], context: "\(verb.label) on generated \(name)")
            }
        }
    }

    /// Objects with very many keys (a mime bundle, the attachments of a cell) must cost time
    /// in proportion to their size: a ~1.3 MB file must not take minutes (a keyed lookup per
    /// member made this quadratic).
    func testWideObjectsAreFormattedInLinearTime() throws {
        let count = 20_000
        let mimes = (0..<count).map { "\"text/x-\($0)\": [\"a\\n\", \"b\"]" }.joined(separator: ", ")
        let attachments = (0..<count).map { "\"f\($0).png\": {\"image/png\": \"AAAA\"}" }.joined(separator: ", ")
        let text = """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
             {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": null, "source": "",
              "outputs": [{"output_type": "display_data", "metadata": {}, "data": {\(mimes)}}]},
             {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "", "attachments": {\(attachments)}}]}
            """
        let directory = try TemporaryDirectory()
        try directory.write(Array(text.utf8), to: "wide.ipynb")
        let started = Date()
        let result = try CLI.run(["fmt", "wide.ipynb"], cwd: directory.url, timeout: 15)
        let elapsed = Date().timeIntervalSince(started)
        guard !result.timedOut else {
            return XCTFail("fmt on a notebook with \(count)-key objects took over 15 s (killed): quadratic")
        }
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertLessThan(elapsed, 10, "fmt on a notebook with \(count)-key objects took \(elapsed) s")
        let again = try CLI.run(["fmt", "--check", "wide.ipynb"], cwd: directory.url, timeout: 20)
        XCTAssertEqual(again.status, 0, "not canonical after fmt: \(again.summary)")
    }

    // MARK: - Paths that are not notebook files

    func testMissingPathFailsCleanlyUnderEveryVerb() throws {
        let directory = try TemporaryDirectory()
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for verb in Self.verbs {
            for name in ["missing.ipynb", "no/such/dir/missing.ipynb"] {
                try assertFailsCleanly(
                    verb.arguments(name, "good.ipynb"), in: directory, naming: name,
                    watching: [], context: "\(verb.label) on missing \(name)")
            }
        }
    }

    /// A directory without notebooks is a mistake (a typo, the wrong folder), not a success.
    func testEmptyDirectoryFailsUnderEveryVerb() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("empty"), withIntermediateDirectories: false)
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for verb in Self.verbs {
            try assertFailsCleanly(
                verb.arguments("empty", "good.ipynb"), in: directory, naming: "empty",
                watching: [], context: "\(verb.label) on an empty directory")
        }
    }

    func testDirectoryWithoutNotebooksFailsUnderEveryVerb() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.path("notes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let readme = try directory.write(Array("not a notebook\n".utf8), to: "notes/README.md")
        let hidden = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "notes/.hidden.ipynb")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".ipynb_checkpoints"), withIntermediateDirectories: false)
        let checkpoint = try directory.write(
            Array(try nonCanonicalNotebookBytes()), to: "notes/.ipynb_checkpoints/a-checkpoint.ipynb")
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for verb in Self.verbs {
            try assertFailsCleanly(
                verb.arguments("notes", "good.ipynb"), in: directory, naming: "notes",
                watching: [readme, hidden, checkpoint],
                context: "\(verb.label) on a directory holding no notebook")
        }
    }

    /// A directory holding a bad notebook among good ones: the bad one is named, the good
    /// ones still processed, the exit status is 1.
    func testDirectoryWithABadNotebookNamesIt() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("nbs/sub"), withIntermediateDirectories: true)
        let bad = try directory.copy(
            CLI.badCorpus.appendingPathComponent("truncated.ipynb"), as: "nbs/sub/truncated.ipynb")
        let good = try directory.write(Array(try canonicalNotebookBytes()), to: "nbs/good.ipynb")
        let messy = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "nbs/messy.ipynb")
        let badBefore = FileSnapshot(bad), goodBefore = FileSnapshot(good)

        let result = try CLI.run(["fmt", "nbs"], cwd: directory.url)
        assertNoCrash(result, context: "fmt on a folder with a bad notebook")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(result.stderrLines.count, 1, result.summary)
        XCTAssertTrue(result.stderr.hasPrefix("nbrun: nbs/sub/truncated.ipynb: "), result.summary)
        XCTAssertEqual(FileSnapshot(bad), badBefore, "the bad notebook was touched")
        XCTAssertEqual(FileSnapshot(good), goodBefore, "a canonical notebook was rewritten")
        XCTAssertEqual(
            try Data(contentsOf: messy), try canonicalNotebookBytes(),
            "the good, non-canonical notebook was not formatted")
        XCTAssertEqual(strayTemporaryFiles(directory.url), [])
    }

    /// A FIFO named like a notebook must be refused, not waited on forever (opening a FIFO
    /// for reading blocks until a writer comes).
    func testFIFONamedLikeANotebookIsRefusedWithoutHanging() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("pipe.ipynb")
        guard mkfifo(fifo.path, 0o644) == 0 else { throw XCTSkip("mkfifo failed: \(String(cString: strerror(errno)))") }
        try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        for verb in Self.verbs {
            let arguments = verb.arguments("pipe.ipynb", "good.ipynb")
            // One hang is enough to know; don't spend the timeout on every verb.
            let probe = try CLI.run(arguments, cwd: directory.url, timeout: 5)
            guard !probe.timedOut else {
                return XCTFail(
                    "nbrun \(arguments.joined(separator: " ")) hangs on a FIFO named like a notebook (killed after 5 s)"
                )
            }
            try assertFailsCleanly(
                arguments, in: directory, naming: "pipe.ipynb", watching: [fifo], timeout: 5,
                context: "\(verb.label) on a FIFO")
        }
    }

    /// `-o` naming something that is not a regular file (a FIFO here; as root, `/dev/null`
    /// would be the victim) must not replace it with a regular file.
    func testOutputOntoAFIFOIsRefusedAndTheFIFOKept() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("out.ipynb")
        guard mkfifo(fifo.path, 0o644) == 0 else { throw XCTSkip("mkfifo failed: \(String(cString: strerror(errno)))") }
        let input = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "in.ipynb")
        let before = FileSnapshot(input)
        let result = try CLI.run(["fmt", "-o", "out.ipynb", "in.ipynb"], cwd: directory.url, timeout: 10)
        assertNoCrash(result, context: "fmt -o FIFO")
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertTrue(result.stderr.contains("out.ipynb"), result.summary)
        var info = stat()
        XCTAssertEqual(lstat(fifo.path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO was replaced by a regular file")
        XCTAssertEqual(FileSnapshot(input), before)
        XCTAssertEqual(strayTemporaryFiles(directory.url), [])
    }

    // MARK: - Usage errors: exit 2

    func testUsageErrorsExitTwo() throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write(Array(try canonicalNotebookBytes()), to: "good.ipynb")
        var cases: [[String]] = [
            ["fmt"], ["fmt", "--bogus", "good.ipynb"], ["fmt", "-o", "x.ipynb", "good.ipynb", "good.ipynb"],
            ["fmt", "--check", "-o", "x.ipynb", "good.ipynb"], ["list", "--bogus"], ["scaffold"],
            ["scaffold", "good.ipynb", "good.ipynb"], ["run"], ["run", "--jobs", "0", "good.ipynb"],
            ["run", "--timeout", "-1", "good.ipynb"], ["run", "--jobs", "many", "good.ipynb"],
            ["--bogus", "good.ipynb"], ["run", "-o"],
        ]
        cases += [["diff"], ["diff", "good.ipynb"], ["diff", "good.ipynb", "good.ipynb", "good.ipynb"]]
        cases += [["check"], ["check", "--jobs", "0", "good.ipynb"]]
        let before = FileSnapshot(good), entries = allEntries(directory.url)
        for arguments in cases {
            let result = try CLI.run(arguments, cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " "))"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 2, "\(context): \(result.summary)")
            XCTAssertFalse(result.stderr.isEmpty, "\(context): no message")
            XCTAssertEqual(result.stdout, "", "\(context): usage errors belong on stderr")
            // ArgumentParser's layout: Error:, an optional Help: line, Usage:, See '... --help'.
            XCTAssertLessThanOrEqual(result.stderrLines.count, 4, "\(context): \(result.summary)")
        }
        XCTAssertEqual(FileSnapshot(good), before)
        XCTAssertEqual(allEntries(directory.url), entries)
    }

    /// `-o` with a folder of several notebooks would write each over the last: refused as
    /// a usage error (as `run -o` does), nothing written.
    func testOutputWithAFolderOfSeveralNotebooksIsAUsageError() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("nbs"), withIntermediateDirectories: false)
        try directory.write(Array(try nonCanonicalNotebookBytes()), to: "nbs/a.ipynb")
        try directory.write(Array(try canonicalNotebookBytes()), to: "nbs/b.ipynb")
        let entries = allEntries(directory.url)
        let snapshots = entries.map { FileSnapshot(directory.path($0)) }
        for arguments in [["fmt", "-o", "out.ipynb", "nbs"], ["-o", "out.ipynb", "nbs"]] {
            let result = try CLI.run(arguments, cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " "))"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 2, "\(context): \(result.summary)")
            XCTAssertLessThanOrEqual(result.stderrLines.count, 3, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("nbs"), "\(context): \(result.summary)")
            XCTAssertEqual(allEntries(directory.url), entries, "\(context): wrote something")
            XCTAssertEqual(entries.map { FileSnapshot(directory.path($0)) }, snapshots, context)
        }
    }

    /// Bare `nbrun` prints the overview (with the error first) and exits 2.
    func testNoArgumentsIsAUsageError() throws {
        let result = try CLI.run([])
        assertNoCrash(result, context: "nbrun")
        XCTAssertEqual(result.status, 2, result.summary)
        XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.summary)
    }

    // MARK: - Where the result cannot be written

    /// `chmod 555` on the notebook's folder: `fmt` and `run` fail, naming the file, and
    /// leave the notebook as it was. Root ignores permission bits, so as root nbrun is run
    /// as `nobody` (setpriv), for whom the folder is just as unwritable.
    func testReadOnlyDirectoryFailsAndKeepsTheNotebook() throws {
        let directory = try TemporaryDirectory()
        XCTAssertEqual(chmod(directory.url.path, 0o755), 0)
        let folder = directory.path("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let notebook = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "ro/nb.ipynb")
        XCTAssertEqual(chmod(notebook.path, 0o644), 0)
        XCTAssertEqual(chmod(folder.path, 0o555), 0)
        defer { _ = chmod(folder.path, 0o755) }
        let run = try Self.unprivilegedRunner(in: directory)
        let before = FileSnapshot(notebook)
        for arguments in [["fmt", "ro/nb.ipynb"], ["ro/nb.ipynb"], ["fmt", "ro"]] {
            let result = try run(arguments)
            let context = "nbrun \(arguments.joined(separator: " ")) in a read-only folder"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            XCTAssertLessThanOrEqual(result.stderrLines.count, 3, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.hasPrefix("nbrun: ro/nb.ipynb: "), "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("Permission denied"), "\(context): \(result.summary)")
            XCTAssertEqual(FileSnapshot(notebook), before, context)
            XCTAssertEqual(strayTemporaryFiles(directory.url), [], context)
        }
        // Reading still works: fmt --check reports it would change, list lists it.
        XCTAssertEqual(try run(["fmt", "--check", "ro/nb.ipynb"]).status, 1)
        XCTAssertEqual(try run(["list", "ro/nb.ipynb"]).status, 0)
    }

    /// Runs nbrun in `directory` as the current user, or as `nobody` when that is root.
    private static func unprivilegedRunner(in directory: TemporaryDirectory) throws -> ([String]) throws -> CLIResult {
        guard getuid() == 0 else { return { try CLI.run($0, cwd: directory.url) } }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw XCTSkip(
                "running as root, which writes into a chmod 555 folder anyway, and no setpriv to drop to nobody")
        }
        let binary = try CLI.requireBinary()
        let run: ([String]) throws -> CLIResult = {
            try CLI.runProgram(
                setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + $0, cwd: directory.url)
        }
        let probe = try run(["--help"])
        guard probe.status == 0 else {
            throw XCTSkip("running as root, and nobody cannot run \(binary) (\(probe.stderr.prefix(200)))")
        }
        return run
    }

    /// An output path whose parent is a regular file cannot be created, even by root.
    func testOutputUnderARegularFileFails() throws {
        let directory = try TemporaryDirectory()
        let notebook = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "nb.ipynb")
        let blocker = try directory.write(Array("a file, not a folder\n".utf8), to: "blocker")
        let before = FileSnapshot(notebook), blockerBefore = FileSnapshot(blocker)
        for arguments in [
            ["fmt", "-o", "blocker/out.ipynb", "nb.ipynb"], ["-o", "blocker/out.ipynb", "nb.ipynb"],
            ["run", "-o", "blocker/out.ipynb", "nb.ipynb"],
        ] {
            let result = try CLI.run(arguments, cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " "))"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            XCTAssertLessThanOrEqual(result.stderrLines.count, 3, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.contains("blocker/out.ipynb"), "\(context): \(result.summary)")
            XCTAssertEqual(FileSnapshot(notebook), before, context)
            XCTAssertEqual(FileSnapshot(blocker), blockerBefore, context)
            XCTAssertEqual(strayTemporaryFiles(directory.url), [], context)
        }
    }

    /// A full disk, simulated with a file-size limit (`ulimit -f`, SIGXFSZ ignored), which
    /// makes write(2) fail with EFBIG part-way through, as ENOSPC would; root is bound too.
    func testWriteFailingPartWayKeepsTheOldNotebookAndNoTemporaryFile() throws {
        if let sanitizer = ProcessInfo.processInfo.environment["NBRUN_SANITIZER"] {
            // The sanitizer runtime maps its shadow memory through files and dies under `ulimit -f`.
            throw XCTSkip(
                "a \(sanitizer)-sanitized nbrun cannot start under a file-size limit; covered by the plain suite")
        }
        let directory = try TemporaryDirectory()
        // A notebook of about 250 KB, so the write fails in the middle, well past the limit.
        let source = try Data(contentsOf: CLI.roundTripCorpus.appendingPathComponent("long-lines.ipynb"))
        let notebook = try directory.write(compacted(Array(source)), to: "big.ipynb")
        let before = FileSnapshot(notebook)
        let binary = try CLI.requireBinary()
        for arguments in [["fmt", "big.ipynb"], ["big.ipynb"], ["fmt", "-o", "copy.ipynb", "big.ipynb"]] {
            let result = try CLI.runProgram(
                "/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 64 && exec \"$0\" \"$@\"", binary] + arguments,
                cwd: directory.url)
            let context = "nbrun \(arguments.joined(separator: " ")) with a 32-64 KB file size limit"
            assertNoCrash(result, context: context)
            XCTAssertEqual(result.status, 1, "\(context): \(result.summary)")
            XCTAssertLessThanOrEqual(result.stderrLines.count, 3, "\(context): \(result.summary)")
            XCTAssertTrue(result.stderr.hasPrefix("nbrun: "), "\(context): \(result.summary)")
            XCTAssertTrue(
                result.stderr.contains(arguments.contains("-o") ? "copy.ipynb" : "big.ipynb"),
                "\(context): \(result.summary)")
            XCTAssertEqual(FileSnapshot(notebook), before, context)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path("copy.ipynb").path), context)
            XCTAssertEqual(strayTemporaryFiles(directory.url), [], context)
        }
        // Without the limit the same command works, so the failure above was the limit.
        XCTAssertEqual(try CLI.run(["fmt", "big.ipynb"], cwd: directory.url).status, 0)
        XCTAssertEqual(try CLI.run(["fmt", "--check", "big.ipynb"], cwd: directory.url).status, 0)
    }

    // MARK: - Helpers

    /// Runs `nbrun ARGS` in `directory` and checks the clean-failure contract.
    func assertFailsCleanly(
        _ arguments: [String], in directory: TemporaryDirectory, naming name: String,
        watching files: [URL], timeout: TimeInterval = 30, context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let before = files.map(FileSnapshot.init), entries = allEntries(directory.url)
        let result = try CLI.run(arguments, cwd: directory.url, timeout: timeout)
        let context = "\(context) [nbrun \(arguments.joined(separator: " "))]"
        assertNoCrash(result, context: context, file: file, line: line)
        XCTAssertEqual(result.status, 1, "\(context): \(result.summary)", file: file, line: line)
        XCTAssertFalse(result.stderrLines.isEmpty, "\(context): no message", file: file, line: line)
        XCTAssertLessThanOrEqual(result.stderrLines.count, 3, "\(context): \(result.summary)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("nbrun: "), "\(context): \(result.summary)", file: file, line: line)
        XCTAssertTrue(
            result.stderr.contains(name), "\(context): the message does not name \(name): \(result.summary)",
            file: file, line: line)
        for (url, snapshot) in zip(files, before) {
            XCTAssertEqual(
                FileSnapshot(url), snapshot, "\(context): \(url.lastPathComponent) changed", file: file, line: line)
        }
        XCTAssertEqual(
            allEntries(directory.url), entries, "\(context): files appeared or vanished", file: file, line: line)
    }

    func assertNoCrash(_ result: CLIResult, context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.timedOut, "\(context): hung, killed after the timeout", file: file, line: line)
        XCTAssertFalse(
            result.signaled, "\(context): died of signal \(result.status): \(result.summary)", file: file, line: line)
        for marker in Self.crashMarkers {
            XCTAssertFalse(
                result.stderr.contains(marker), "\(context): \(marker): \(result.summary)", file: file, line: line)
        }
    }
}
