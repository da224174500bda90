import ArgumentParser
import Engine
import Foundation
import Notebook

/// Where the command talks to people: errors and progress on stderr, results on stdout.
enum Terminal {
    static func printError(_ message: String, newline: Bool = true) {
        let text = newline && !message.hasSuffix("\n") ? message + "\n" : message
        FileHandle.standardError.write(Data(text.utf8))
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

    static func exit(_ code: ExitCode) -> Never {
        fflush(nil)  // all C streams, stdout included
        Foundation.exit(code.rawValue)
    }
}
