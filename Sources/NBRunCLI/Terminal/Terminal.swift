import ArgumentParser
import Engine
import Foundation
import Futures
import Notebook
import SystemCalls

/// Where the command talks to people: errors and progress on stderr, results on stdout.
///
/// Either may be full or closed (`>/dev/full`, a reader that went away): a failed write is
/// remembered, never a crash, and makes the exit status 1 (`exit`), said on stderr when
/// that still works.
enum Terminal {
    /// Whether a write to stderr failed: nothing more can be said there.
    private static let stderrFailed = Locked(false)

    static func printError(_ message: String, newline: Bool = true) {
        let text = newline && !message.hasSuffix("\n") ? message + "\n" : message
        writeError(OutputText.neutralized(text))
    }

    /// The progress line's own bytes (its `\r` and erase sequence are meant).
    static func printProgress(_ text: String) {
        writeError(text)
    }

    private static func writeError(_ text: String) {
        do throws(SystemCallError) {
            try write(Array(text.utf8), to: 2)
        } catch {
            stderrFailed.withLock { $0 = true }
        }
    }

    /// One line of a report on stdout (`check`'s and `diff`'s differences), with carriage
    /// returns and lines that start with `::` escaped: a CI runner reads stdout for workflow
    /// commands, and a committed output must not pass for one (`OutputText`).
    static func printReport(_ text: String) {
        print(OutputText.neutralized(text))
    }

    /// Bytes on stdout as they are (`-o -`), after whatever `print` has buffered.
    static func writeOutput(_ bytes: [UInt8]) throws(SystemCallError) {
        if let stream = cStandardOutput { fflush(stream) }
        try write(bytes, to: 1)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) throws(SystemCallError) {
        var failure: SystemCallError?
        bytes.withUnsafeBytes { buffer in
            do throws(SystemCallError) { try Syscall.writeAll(descriptor, buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// One problem with one file, in the form every verb uses: `nbrun: PATH: what is wrong`.
    static func report(_ path: String, _ error: any Error) {
        printError("nbrun: \(path): \(error)")
    }

    /// A session's threads still running after its last cell: named, with the cell that
    /// started them. Not an error (a kernel would keep them running); nbrun does not wait.
    static func reportLingering(_ result: RunResult) {
        guard !result.lingeringThreads.isEmpty else { return }
        let threads = result.lingeringThreads.joined(separator: ", ")
        let count = result.lingeringThreads.count
        let what = count == 1 ? "a thread was" : "\(count) threads were"
        let fate = count == 1 ? "it ends" : "they end"
        report(
            result.path,
            Complaint("\(what) still running after the last cell: \(threads); not waited for, \(fate) with nbrun"))
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Exits with `code`, or 1 when stdout or stderr could not take everything written
    /// (a usage error keeps its 2).
    static func exit(_ code: ExitCode) -> Never {
        var status = code.rawValue
        errno = 0
        let stdoutFailed: Bool
        if let stream = cStandardOutput {
            stdoutFailed = fflush(stream) != 0 || ferror(stream) != 0
        } else {
            stdoutFailed = fflush(nil) != 0
        }
        let reason = Errno.current
        fflush(nil)  // the other C streams
        if stdoutFailed {
            // An earlier write may have failed, its errno long gone.
            printError(
                "nbrun: stdout: " + (reason.rawValue == 0 ? "cannot write all the output" : "cannot write: \(reason)"))
        }
        if (stdoutFailed || stderrFailed.withLock({ $0 })) && status == 0 { status = 1 }
        Foundation.exit(status)
    }
}

/// C's `stdout` stream, which `print` writes through. Swift 6 refuses to read the C global
/// (shared mutable state), so it is read through its symbol; the C library never reassigns it.
private var cStandardOutput: UnsafeMutablePointer<FILE>? {
    dlsym(nil, "stdout")?.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee
}
