import Foundation
import Glibc
import XCTest

/// End to end, on a copy of `07-io`, whose ports need the course's `io-server` on port 8765:
/// nbrun starts it before the first cell (the first cell fetches a page), stops it when the
/// run ends, and leaves none behind when stopped by SIGINT or SIGTERM or killed by SIGKILL;
/// a port already taken is one error naming the service, with nothing run or written.
final class ServiceCLITests: XCTestCase {
    static let notebook = CLI.repository.appendingPathComponent("notebooks/07-io.ipynb")
    static let port: UInt16 = 8765

    override func setUpWithError() throws {
        try XCTSkipIf(Self.accepts(port: Self.port), "port 8765 is taken on this machine: these tests need it")
    }

    func testServiceAnswersBeforeTheFirstCellAndIsStoppedAfter() throws {
        let folder = try TemporaryDirectory()
        let copy = try folder.copy(Self.notebook)
        let run = try WatchedRun(["check", copy.path], service: "io-server")
        let status = run.waitForExit()
        XCTAssertEqual(status.code, 0, "the first cell fetched its page and every cell matched")
        XCTAssertEqual(run.childrenSeen.count, 1, "one io-server for the run")
        XCTAssertEqual(survivors(run.childrenSeen), [], "io-server outlived nbrun")
        XCTAssertFalse(Self.accepts(port: Self.port), "something still listens on 8765")
    }

    func testSIGINTStopsTheService() throws {
        try checkStopped(by: SIGINT, expecting: 130)
    }

    func testSIGTERMStopsTheService() throws {
        try checkStopped(by: SIGTERM, expecting: 143)
    }

    func testKillNineOfNbrunStopsTheService() throws {
        try checkStopped(by: SIGKILL, expecting: nil)
    }

    func testTakenPortIsOneErrorNamingTheService() throws {
        let listener = try XCTUnwrap(Self.listen(port: Self.port))
        defer { close(listener) }
        let folder = try TemporaryDirectory()
        let copy = try folder.copy(Self.notebook)
        let before = FileSnapshot(copy)
        let result = try CLI.run([copy.path], timeout: 60)
        XCTAssertEqual(result.status, 1, result.summary)
        XCTAssertEqual(
            result.stderrLines.first.map(String.init),
            "nbrun: service io-server: port 8765 is already in use (something else listens on 127.0.0.1:8765)",
            result.summary)
        XCTAssertEqual(FileSnapshot(copy), before, "the notebook changed")
    }

    private func checkStopped(by signal: Int32, expecting code: Int32?) throws {
        let folder = try TemporaryDirectory()
        let copy = try folder.copy(Self.notebook)
        let before = FileSnapshot(copy)
        let run = try WatchedRun([copy.path], service: "io-server")
        XCTAssertTrue(run.waitUntilServiceAnswers(), "io-server never answered")
        XCTAssertEqual(kill(run.pid, signal), 0)
        let status = run.waitForExit()
        if let code {
            XCTAssertEqual(status.code, code, "exit status after signal \(signal)")
            XCTAssertFalse(status.signaled)
        } else {
            XCTAssertTrue(status.signaled)
        }
        XCTAssertEqual(survivors(run.childrenSeen), [], "io-server outlived nbrun")
        XCTAssertEqual(FileSnapshot(copy), before, "the notebook changed")
        let deadline = Date().addingTimeInterval(20)
        while Self.accepts(port: Self.port), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertFalse(Self.accepts(port: Self.port), "something still listens on 8765")
    }

    /// Of `pids`, those still alive after up to 20 s (a bound on a hang, not a speed check).
    private func survivors(_ pids: Set<Int32>) -> [Int32] {
        let deadline = Date().addingTimeInterval(20)
        var alive = pids.filter(ProcessTable.isAlive)
        while !alive.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            alive = alive.filter(ProcessTable.isAlive)
        }
        return alive.sorted()
    }

    static func accepts(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func listen(port: UInt16) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var reuse: Int32 = 1  // connections of earlier tests may linger in TIME_WAIT
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard bound, Glibc.listen(descriptor, 8) == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    private static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

extension WatchedRun {
    /// Waits (at most 60 s) until an io-server child accepts connections on 8765.
    func waitUntilServiceAnswers() -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            if !childrenSeen.isEmpty, ServiceCLITests.accepts(port: ServiceCLITests.port) { return true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return false
    }
}
