import Foundation
import Glibc
import XCTest

/// What one run of the `nbrun` binary did.
struct CLIResult {
    var status: Int32
    /// Set when the process was ended by a signal (`status` is then the signal number).
    var signaled: Bool
    var stdout: String
    var stderr: String
    var timedOut: Bool

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }

    /// A one-paragraph summary for assertion messages.
    var summary: String {
        "exit \(status)\(signaled ? " (signal)" : "")\(timedOut ? " (TIMED OUT)" : ""); stderr:\n\(stderr)stdout:\n\(stdout.prefix(2000))"
    }
}

/// Finding and running the `nbrun` executable built next to the test bundle.
enum CLI {
    /// The built `nbrun`: `$NBRUN_BINARY` if set, else the sibling of the running test
    /// executable in the build products folder (`swift test` builds it), else `.build/debug/nbrun`.
    static let binary: String? = {
        let manager = FileManager.default
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["NBRUN_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        if let exe = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(
                URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("nbrun").path)
        }
        let bundle = Bundle(for: CLIBundleMarker.self).bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("nbrun").path)
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("nbrun").path)
        }
        candidates.append(repository.appendingPathComponent(".build/debug/nbrun").path)
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && manager.isExecutableFile(atPath: path)
        }
    }()

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let badCorpus = repository.appendingPathComponent("Tests/NotebookTests/Corpus/bad")
    static let roundTripCorpus = repository.appendingPathComponent("Tests/NotebookTests/Corpus/roundtrip")
    /// What nbformat writes for each round-trip input: canonical bytes.
    static let expectedCorpus = repository.appendingPathComponent("Tests/NotebookTests/Corpus/expected")

    /// The binary, or an error that fails the test: an end-to-end suite must never pass by
    /// skipping itself because nothing was built.
    static func requireBinary() throws -> String {
        guard let binary else { throw MissingBinary() }
        return binary
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String {
            "the nbrun executable was not found next to the tests (build it, or set NBRUN_BINARY)"
        }
    }

    /// Runs `nbrun ARGS` in `cwd` and waits at most `timeout` seconds; a process still
    /// running then is killed and the result says `timedOut` (callers assert on it).
    /// Output goes through files, so a chatty child can never block on a full pipe.
    static func run(
        _ arguments: [String], cwd: URL? = nil, timeout: TimeInterval = 30,
        environment: [String: String]? = nil
    ) throws -> CLIResult {
        try runProgram(requireBinary(), arguments, cwd: cwd, timeout: timeout, environment: environment)
    }

    /// Starts `nbrun ARGS` without waiting: for tests that kill it or race two of them.
    static func start(_ arguments: [String], cwd: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try requireBinary())
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = cwd }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func runProgram(
        _ program: String, _ arguments: [String], cwd: URL? = nil, timeout: TimeInterval = 30,
        environment: [String: String]? = nil
    ) throws -> CLIResult {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("nbrun-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else {
            throw CocoaError(.fileWriteUnknown)
        }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = cwd }
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        return CLIResult(
            status: process.terminationStatus,
            signaled: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
            stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }
}

private final class CLIBundleMarker {}

/// A fresh directory under the system temp folder, removed (permissions restored) on teardown.
final class TemporaryDirectory {
    let url: URL

    /// Every test folder lives under one root that looks like a repository's (it holds a
    /// `.git` folder), so nbrun's search for `nbrun.json` stops there: a stray rules file in
    /// the system's temporary folder cannot change what a test sees.
    static let root: URL = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nbrun-e2e-\(getpid())")
        try? FileManager.default.createDirectory(
            at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
        return root
    }()

    init() throws {
        url = Self.root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Copies `source` in under `name` (its own name by default) and returns the copy.
    @discardableResult
    func copy(_ source: URL, as name: String? = nil) throws -> URL {
        let destination = path(name ?? source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: destination)
        return destination
    }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let destination = path(name)
        try Data(bytes).write(to: destination)
        return destination
    }

    deinit {
        // Undo any chmod a test made, then remove everything.
        if let walker = FileManager.default.enumerator(atPath: url.path) {
            for case let relative as String in walker {
                let path = url.appendingPathComponent(relative).path
                var info = stat()
                // chmod follows symlinks: leave links (and whatever they point at) alone.
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK else { continue }
                _ = chmod(path, 0o755)
            }
        }
        _ = chmod(url.path, 0o755)
        try? FileManager.default.removeItem(at: url)
    }
}

/// The state of a file that must not change: its bytes, mtime, inode and mode.
struct FileSnapshot: Equatable {
    var bytes: Data?
    var modified: timespec?
    var inode: UInt64
    var mode: UInt32

    init(_ url: URL) {
        bytes = try? Data(contentsOf: url)
        var info = stat()
        if lstat(url.path, &info) == 0 {
            modified = info.st_mtim
            inode = UInt64(info.st_ino)
            mode = UInt32(info.st_mode)
        } else {
            modified = nil
            inode = 0
            mode = 0
        }
    }

    static func == (lhs: FileSnapshot, rhs: FileSnapshot) -> Bool {
        lhs.bytes == rhs.bytes && lhs.inode == rhs.inode && lhs.mode == rhs.mode
            && lhs.modified?.tv_sec == rhs.modified?.tv_sec && lhs.modified?.tv_nsec == rhs.modified?.tv_nsec
    }
}

/// Every entry of `directory` (hidden ones too), recursively, as relative paths.
func allEntries(_ directory: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
    return walker.compactMap { $0 as? String }.sorted()
}

/// Temporary files `AtomicFile` leaves behind only when killed: `.NAME.nbrun-XXXXXX`.
func strayTemporaryFiles(_ directory: URL) -> [String] {
    allEntries(directory).filter { ($0 as NSString).lastPathComponent.contains(".nbrun-") }
}

/// A notebook in nbformat's canonical form (what nbformat writes), with cell ids.
func canonicalNotebookBytes() throws -> Data {
    try Data(contentsOf: CLI.expectedCorpus.appendingPathComponent("minor5-ids.ipynb"))
}

/// The same notebook, valid but not canonical, so `fmt` must rewrite it.
func nonCanonicalNotebookBytes() throws -> Data {
    Data(compacted(Array(try canonicalNotebookBytes())))
}

/// JSON text with its layout removed: every newline and the indent after it. JSON strings
/// cannot hold a raw newline, so only whitespace between tokens goes.
func compacted(_ json: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(json.count)
    var skippingIndent = false
    for byte in json {
        if byte == 0x0A { skippingIndent = true; continue }
        if skippingIndent && byte == 0x20 { continue }
        skippingIndent = false
        output.append(byte)
    }
    return output
}
