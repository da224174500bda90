import Foundation
import Glibc
import XCTest

/// End-to-end: how the built `nbrun` replaces notebooks on disk. A rewrite keeps symlinks
/// and modes, and whatever happens to the process (`kill -9` at any moment, a second
/// `nbrun` racing it), the notebook is always either the old bytes or the whole new ones.
final class AtomicWriteTests: XCTestCase {
    func testSymlinkedNotebookStaysALinkAndTheTargetKeepsItsMode() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.path("real"), withIntermediateDirectories: false)
        let target = try directory.write(Array(try nonCanonicalNotebookBytes()), to: "real/nb.ipynb")
        XCTAssertEqual(chmod(target.path, 0o640), 0)
        let link = directory.path("link.ipynb")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real/nb.ipynb")
        // A link to a link, absolute this time.
        let link2 = directory.path("link2.ipynb")
        try FileManager.default.createSymbolicLink(atPath: link2.path, withDestinationPath: link.path)

        let result = try CLI.run(["fmt", "link2.ipynb"], cwd: directory.url)
        XCTAssertEqual(result.status, 0, result.summary)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link2.path), link.path)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real/nb.ipynb")
        XCTAssertEqual(
            try Data(contentsOf: target), try canonicalNotebookBytes(), "the link's target was not formatted")
        var info = stat()
        XCTAssertEqual(lstat(target.path, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG)
        XCTAssertEqual(info.st_mode & 0o7777, 0o640, "the mode was not kept")
        XCTAssertEqual(strayTemporaryFiles(directory.url), [])
        XCTAssertEqual(allEntries(directory.url), ["link.ipynb", "link2.ipynb", "real", "real/nb.ipynb"])

        // The default verb writes through the link as well.
        try Data(try nonCanonicalNotebookBytes()).write(to: target)
        XCTAssertEqual(chmod(target.path, 0o640), 0)
        let run = try CLI.run(["link.ipynb"], cwd: directory.url)
        XCTAssertEqual(run.status, 0, run.summary)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real/nb.ipynb")
        XCTAssertEqual(try Data(contentsOf: target), try canonicalNotebookBytes())
        XCTAssertEqual(lstat(target.path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o640)
        XCTAssertEqual(strayTemporaryFiles(directory.url), [])
    }

    /// `kill -9` at random moments while `nbrun fmt` rewrites a ~30 MB notebook: the file is
    /// always the old bytes or the complete new ones, and a temporary file left by the kill
    /// is never taken for a notebook by a later `nbrun fmt DIR`.
    func testKillDuringRewriteLeavesOldOrNewNeverTorn() throws {
        let directory = try TemporaryDirectory()
        let old = BigNotebook.bytes(megabytes: 30)
        let notebook = try directory.write(old, to: "big.ipynb")

        // One undisturbed run gives the new bytes and how long a rewrite takes.
        let started = Date()
        let full = try CLI.run(["fmt", "big.ipynb"], cwd: directory.url, timeout: 60)
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(full.status, 0, full.summary)
        let new = [UInt8](try Data(contentsOf: notebook))
        XCTAssertNotEqual(new, old, "the generated notebook should not be canonical already")
        XCTAssertGreaterThan(new.count, 25_000_000)

        var generator = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        var outcomes: [String] = []
        for attempt in 0..<8 {
            try Data(old).write(to: notebook)
            // Spread the kills over the whole run, a little beyond it too.
            let delay = duration * 1.1 * Double(generator.next() % 1000) / 1000
            let process = try CLI.start(["fmt", "big.ipynb"], cwd: directory.url)
            usleep(useconds_t(delay * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = [UInt8](try Data(contentsOf: notebook))
            let state = now == old ? "old" : now == new ? "new" : "TORN (\(now.count) bytes)"
            outcomes.append(String(format: "%.3fs: %@", delay, state))
            XCTAssertTrue(
                now == old || now == new, "kill #\(attempt) after \(delay)s left a torn notebook of \(now.count) bytes")
        }
        print(
            "AtomicWriteTests: full rewrite \(String(format: "%.2f", duration))s; kills: \(outcomes.joined(separator: ", "))"
        )

        // Whatever the kills left behind is hidden and does not end in .ipynb...
        for stray in strayTemporaryFiles(directory.url) {
            XCTAssertTrue(stray.hasPrefix(".big.ipynb.nbrun-"), stray)
            XCTAssertFalse(stray.hasSuffix(".ipynb"), stray)
        }
        // ...so a later run over the folder sees only the notebook.
        try Data(old).write(to: notebook)
        let strays = strayTemporaryFiles(directory.url).map { FileSnapshot(directory.path($0)) }
        let check = try CLI.run(["fmt", "--check", "."], cwd: directory.url, timeout: 60)
        XCTAssertEqual(check.status, 1, check.summary)
        XCTAssertEqual(check.stdout.split(separator: "\n").map(String.init), ["./big.ipynb"], check.summary)
        XCTAssertEqual(check.stderr, "", check.summary)
        let fmt = try CLI.run(["fmt", "."], cwd: directory.url, timeout: 60)
        XCTAssertEqual(fmt.status, 0, fmt.summary)
        XCTAssertEqual([UInt8](try Data(contentsOf: notebook)), new)
        XCTAssertEqual(
            strayTemporaryFiles(directory.url).map { FileSnapshot(directory.path($0)) }, strays,
            "fmt DIR touched a stray temporary file")
        let list = try CLI.run(["list", "."], cwd: directory.url, timeout: 60)
        XCTAssertEqual(list.status, 0, list.summary)
        XCTAssertFalse(list.stdout.contains("nbrun-"), list.summary)
    }

    /// Two `nbrun fmt` racing on one notebook: both succeed and one whole notebook remains.
    func testConcurrentFormatsLeaveOneWholeNotebook() throws {
        let directory = try TemporaryDirectory()
        let old = BigNotebook.bytes(megabytes: 8)
        let notebook = try directory.write(old, to: "nb.ipynb")
        XCTAssertEqual(chmod(notebook.path, 0o640), 0)
        let reference = try directory.write(old, to: "reference.ipynb")
        XCTAssertEqual(try CLI.run(["fmt", "reference.ipynb"], cwd: directory.url, timeout: 60).status, 0)
        let new = try Data(contentsOf: reference)
        try FileManager.default.removeItem(at: reference)

        for round in 0..<3 {
            try Data(old).write(to: notebook)
            let first = try CLI.start(["fmt", "nb.ipynb"], cwd: directory.url)
            let second = try CLI.start(["fmt", "nb.ipynb"], cwd: directory.url)
            first.waitUntilExit()
            second.waitUntilExit()
            XCTAssertEqual(first.terminationStatus, 0, "round \(round): first fmt failed")
            XCTAssertEqual(second.terminationStatus, 0, "round \(round): second fmt failed")
            XCTAssertEqual(try Data(contentsOf: notebook), new, "round \(round): not one whole notebook")
            XCTAssertEqual(allEntries(directory.url), ["nb.ipynb"], "round \(round): stray files")
            var info = stat()
            XCTAssertEqual(lstat(notebook.path, &info), 0)
            XCTAssertEqual(info.st_mode & 0o7777, 0o640, "round \(round): mode lost")
        }
    }
}

/// A large, valid, deliberately non-canonical notebook (compact JSON, keys unsorted): code
/// cells with stream outputs and markdown cells with ~1 MB base64 attachments.
enum BigNotebook {
    static func bytes(megabytes: Int) -> [UInt8] {
        var generator = SplitMix64(seed: 2026)
        var blob = [UInt8](repeating: 0, count: 768 * 1024)
        for index in stride(from: 0, to: blob.count, by: 8) {
            var word = generator.next()
            for offset in 0..<8 { blob[index + offset] = UInt8(truncatingIfNeeded: word); word >>= 8 }
        }
        let base64 = Data(blob).base64EncodedString()
        var cells: [String] = []
        var size = 0, index = 0
        let stream = String(repeating: "[step] worker finished\\n", count: 200)
        while size < megabytes * 1_000_000 {
            let markdown =
                "{\"source\":\"# Part \(index)\\nSome text.\\n\",\"cell_type\":\"markdown\",\"metadata\":{},"
                + "\"attachments\":{\"figure\(index).png\":{\"image/png\":\"\(index % 10)\(base64.dropFirst())\"}}}"
            let code =
                "{\"outputs\":[{\"text\":\"\(stream)\",\"output_type\":\"stream\",\"name\":\"stdout\"}],"
                + "\"cell_type\":\"code\",\"execution_count\":\(index + 1),\"metadata\":{},\"source\":\"print(\(index))\\nx = 1\\n\"}"
            cells.append(markdown)
            cells.append(code)
            size += markdown.utf8.count + code.utf8.count
            index += 1
        }
        let text =
            "{\"nbformat\":4,\"nbformat_minor\":4,\"metadata\":{\"kernelspec\":{\"name\":\"python3\"}},\"cells\":["
            + cells.joined(separator: ",") + "]}"
        return Array(text.utf8)
    }
}

/// A small, seedable generator, so the notebook's bytes are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
