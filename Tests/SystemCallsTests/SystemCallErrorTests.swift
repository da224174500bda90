import Glibc
import SystemCalls
import TestKit
import XCTest

/// A failed call reads as CPython's `OSError` for the same errno, checked against the real python3.
final class SystemCallErrorTests: XCTestCase {
    private static let numbers: [Int32] = [
        EPERM, ENOENT, ESRCH, EINTR, EBADF, ECHILD, EAGAIN, EACCES, EEXIST, ENOTDIR, EISDIR, EINVAL, EMFILE,
        ENOSPC, EPIPE, EINPROGRESS, EALREADY, ECONNABORTED, ECONNRESET, ECONNREFUSED, ESHUTDOWN, ETIMEDOUT, EROFS,
    ]

    func testExceptionNamesAndMessagesAreCPythons() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let numbers = Self.numbers.map(String.init).joined(separator: ", ")
        let expected = try PythonReference.lines(
            """
            import os
            for n in (\(numbers)):
                e = OSError(n, os.strerror(n))
                print(type(e).__name__, str(e), sep='|')
            for path in ('x.ipynb', "it's", 'tab\\there', 'ü'):
                print(str(OSError(2, os.strerror(2), path)))
            """)
        var ours = Self.numbers.map { number in
            let error = SystemCallError("read", Errno(rawValue: number))
            return "\(error.pythonExceptionName)|\(error.pythonMessage)"
        }
        ours += ["x.ipynb", "it's", "tab\there", "ü"].map {
            SystemCallError("open", .noSuchFileOrDirectory, path: $0).pythonMessage
        }
        XCTAssertEqual(ours, expected)
    }

    /// nbrun's own messages name the call: what failed, not only why.
    func testDescriptionNamesTheCall() {
        XCTAssertEqual(String(describing: SystemCallError("ftruncate", .noSpace)), "ftruncate: No space left on device")
        XCTAssertEqual(
            String(describing: SystemCallError("posix_spawn", .noSuchFileOrDirectory, path: "/nope")),
            "posix_spawn /nope: No such file or directory")
    }

    func testFailedCallsCarryTheirNameAndErrno() {
        XCTAssertThrowsError(try Syscall.open("/nonexistent/nbrun-test", O_RDONLY)) { error in
            XCTAssertEqual(error as? SystemCallError, SystemCallError("open", .noSuchFileOrDirectory))
        }
        XCTAssertThrowsError(try Syscall.signal(-99_999, 0)) { error in
            XCTAssertEqual(error as? SystemCallError, SystemCallError("kill", .noSuchProcess))
        }
        XCTAssertThrowsError(try Syscall.checkStatus("pthread_mutex_lock", EINVAL)) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, .invalidArgument)
        }
    }

    /// A write to a socket whose peer is gone is EPIPE (MSG_NOSIGNAL), not a SIGPIPE that ends the test run.
    func testSendToAClosedPeerIsBrokenPipe() throws {
        let (mine, theirs) = try Syscall.socketPair()
        defer { Syscall.closeIgnoringErrors(mine) }
        try Syscall.close(theirs)
        let bytes: [UInt8] = [1, 2, 3]
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try Syscall.sendAll(mine, $0) }) { error in
            XCTAssertEqual((error as? SystemCallError)?.errno, .brokenPipe)
            XCTAssertEqual((error as? SystemCallError)?.pythonExceptionName, "BrokenPipeError")
        }
    }

    func testReadFullyStopsAtTheEndOfTheStream() throws {
        let (mine, theirs) = try Syscall.socketPair()
        defer { Syscall.closeIgnoringErrors(mine) }
        let bytes: [UInt8] = [1, 2, 3]
        try bytes.withUnsafeBytes { try Syscall.sendAll(theirs, $0) }
        try Syscall.close(theirs)
        var buffer = [UInt8](repeating: 0, count: 8)
        let count = try buffer.withUnsafeMutableBytes { try Syscall.readFully(mine, into: $0) }
        XCTAssertEqual(count, 3)
        XCTAssertEqual(Array(buffer[0..<3]), bytes)
    }
}
