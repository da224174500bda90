import Foundation

/// The real CPython as a reference: tests run the same scenario in `python3` and in a port
/// and compare what both print, instead of trusting strings typed by hand.
package enum PythonReference {
    /// The interpreter to use: `NBRUN_PYTHON` (the Makefile points it at the project's venv),
    /// else the first `python3` on `PATH`; nil when there is none.
    package static var executable: String? {
        if let chosen = ProcessInfo.processInfo.environment["NBRUN_PYTHON"],
            FileManager.default.isExecutableFile(atPath: chosen)
        {
            return chosen
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    package struct Failure: Error, CustomStringConvertible {
        package let status: Int32
        package let stderr: String
        package var description: String { "python3 exited \(status): \(stderr)" }
    }

    /// Runs `script` with `python3 -c` and returns its stdout; throws when it exits non-zero
    /// or runs past `limit` seconds (it is then killed, so a scenario that hangs fails the
    /// test instead of hanging the suite).
    package static func run(_ script: String, limit: TimeInterval = 60) throws -> String {
        guard let executable else { throw Failure(status: -1, stderr: "no python3 found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", script]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        defer { watchdog.cancel() }
        // Read both pipes before waiting, so a chatty script cannot fill one and stall.
        let errData = Locked()
        let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errData.waitForValue(), as: UTF8.self)
        guard process.terminationReason == .exit else {
            throw Failure(status: process.terminationStatus, stderr: "killed after \(limit) s: \(stderr)")
        }
        guard process.terminationStatus == 0 else { throw Failure(status: process.terminationStatus, stderr: stderr) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The lines `script` prints (without their newlines).
    package static func lines(_ script: String, limit: TimeInterval = 60) throws -> [String] {
        try run(script, limit: limit).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
            String.init)
    }

    /// A value handed from the stderr reader to the caller.
    private final class Locked: @unchecked Sendable {
        // @unchecked: `value` is only touched with `condition` locked.
        private let condition = NSCondition()
        private var value: Data?

        func set(_ data: Data) {
            condition.lock()
            value = data
            condition.broadcast()
            condition.unlock()
        }

        func waitForValue() -> Data {
            condition.lock()
            defer { condition.unlock() }
            while value == nil { condition.wait() }
            return value ?? Data()
        }
    }
}
