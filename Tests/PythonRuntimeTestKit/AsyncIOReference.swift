import Foundation
import Futures
import PythonRuntime
import TestKit
import XCTest

/// What a scenario prints, line by line, from whichever coroutine or thread prints it.
package final class Transcript: Sendable {
    package init() {}

    private let lines = Locked<[String]>([])

    package func print(_ items: Any...) {
        let line = items.map { String(describing: $0) }.joined(separator: " ")
        lines.withLock { $0.append(line) }
    }

    package var printed: [String] { lines.withLock { $0 } }
}

/// Runs a scenario in the real CPython (the fixture script, the reference) and in the
/// look-alike, and compares what both print.
package func assertSameAsPython(
    _ script: String, sorted: Bool = false, file: StaticString = #filePath, line: UInt = #line,
    _ port: (Transcript) throws -> Void
) throws {
    guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    var expected = try PythonReference.lines(script)
    let transcript = Transcript()
    try port(transcript)
    var printed = transcript.printed
    if sorted {
        expected.sort()
        printed.sort()
    }
    XCTAssertEqual(printed, expected, file: file, line: line)
}

/// A Python error's name as `type(exc).__name__` prints it.
package func pyName(_ error: any Error) -> String { pythonExceptionName(of: error) }
