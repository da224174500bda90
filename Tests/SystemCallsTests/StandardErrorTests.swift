import Glibc
import SystemCalls
import XCTest

/// Diagnostics of a worker or a loop with no cell to write to go to fd 2 as far as they can:
/// a full or closed stderr loses them, and never stops the process (Foundation's
/// `FileHandle.write(_:)` traps there).
final class StandardErrorTests: XCTestCase {
    func testAFullStderrLosesTheLineAndNothingElse() throws {
        let full = open("/dev/full", O_WRONLY)
        XCTAssertGreaterThanOrEqual(full, 0)
        let saved = dup(STDERR_FILENO)
        XCTAssertGreaterThanOrEqual(saved, 0)
        defer {
            dup2(saved, STDERR_FILENO)
            close(saved)
            close(full)
        }
        dup2(full, STDERR_FILENO)
        Syscall.writeToStandardError("nbrun worker: this line has nowhere to go\n")
        dup2(saved, STDERR_FILENO)
        // Still here; and stderr, restored, takes writes again.
        var pipeEnds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        dup2(pipeEnds[1], STDERR_FILENO)
        Syscall.writeToStandardError("after\n")
        dup2(saved, STDERR_FILENO)
        close(pipeEnds[1])
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(pipeEnds[0], &buffer, buffer.count)
        close(pipeEnds[0])
        XCTAssertEqual(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self), "after\n")
    }
}
