import ArgumentParser
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

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    static func exit(_ code: ExitCode) -> Never {
        fflush(nil)  // all C streams, stdout included
        Foundation.exit(code.rawValue)
    }
}
