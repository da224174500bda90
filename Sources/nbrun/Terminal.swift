import Foundation
import Notebook

/// A run that failed after reporting why; `code` is the exit status (1 or 2).
struct Failure: Error {
    let code: Int32
    static let failed = Failure(code: 1)
    static let usage = Failure(code: 2)
}

/// Where the command talks to people: errors and progress on stderr, results on stdout.
enum Terminal {
    static func printError(_ message: String, newline: Bool = true) {
        let text = newline && !message.hasSuffix("\n") ? message + "\n" : message
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// One problem with one file, in the form every verb uses: `nbrun: PATH: what is wrong`.
    static func report(_ path: String, _ problem: Any) {
        printError("nbrun: \(path): \(problem)")
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    static func exit(_ code: Int32) -> Never {
        fflush(nil)  // all C streams, stdout included
        Foundation.exit(code)
    }
}

/// Where a verb's result goes: a file, replaced atomically, or stdout for `-`.
enum Destination {
    static func write(_ bytes: [UInt8], to path: String) throws(NotebookError) {
        guard path == "-" else { return try AtomicFile.write(bytes, to: path) }
        FileHandle.standardOutput.write(Data(bytes))
    }
}
