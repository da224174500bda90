import Demos
import Foundation
import Futures
import Processes
import PythonRuntime
import TestKit
import XCTest

/// Runs the ports of `07-io` as a kernel runs the notebook (in order, one context, one
/// session), against the course's `io-server` on port 8765 started here as nbrun starts it,
/// and checks each cell against CPython 3.11's outputs (the course's
/// `reference/07-io.cpython-3.11.ipynb`, with `fixtures/io-server.py` serving).
final class IO07Tests: XCTestCase, PortTests {
    static let demos = IO07.demos

    func testSevenDemosSharingOneSessionAndTheirService() {
        XCTAssertEqual(
            Self.demos.map(\.name),
            ["fetch", "one-after-another", "twelve-threads", "pool-of-four", "status-of", "http-error", "cpu-time"])
        XCTAssertTrue(Self.demos.allSatisfy { $0.notebook == "07-io" && $0.session != nil })
        XCTAssertEqual(Catalog.services.map(\.name), ["io-server"])
        XCTAssertEqual(Catalog.services.first?.port, 8765)
        XCTAssertEqual(Catalog.services.first?.notebooks, ["07-io"])
    }

    func testTheNotebookAsCPythonRunsIt() throws {
        let executable = try XCTUnwrap(siblingExecutable(named: "io-server"), "io-server is built next to the tests")
        let server = try ServiceProcess(executable: executable, arguments: ["--port", "8765"])
        defer { server.stop() }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline,
            (try? urllib.request.urlopen("http://127.0.0.1:8765/page/1", timeout: 1) { $0.status }) != 200
        {
            XCTAssertNil(server.exitCode, "io-server exited: \(server.printed)")
            Thread.sleep(forTimeInterval: 0.02)
        }

        let runs = try runSession(seed: 7)
        for (name, run) in runs { XCTAssertEqual(run.stderr, "", name) }

        XCTAssertEqual(runs["fetch"]?.value, "{'page': 1, 'words': 107}")
        let serial = try XCTUnwrap(runs["one-after-another"])
        XCTAssertEqual(folded(serial.stdout), ["12 pages in <t>s"])
        XCTAssertGreaterThanOrEqual(try timing(serial.stdout[0]), 1.2 - 0.05, "twelve 0.1 s pages one after another")
        XCTAssertEqual(serial.value, "1746")
        let threads = try XCTUnwrap(runs["twelve-threads"])
        XCTAssertEqual(folded(threads.stdout), ["12 pages in <t>s"])
        XCTAssertLessThan(try timing(threads.stdout[0]), 0.6, "the twelve waits overlap")
        XCTAssertEqual(threads.value, "True")
        let pool = try XCTUnwrap(runs["pool-of-four"])
        XCTAssertEqual(folded(pool.stdout), ["12 pages in <t>s"])
        XCTAssertGreaterThanOrEqual(try timing(pool.stdout[0]), 0.3 - 0.05, "three rounds of four")
        XCTAssertEqual(pool.value, "[107, 114, 121, 128]")
        let statuses = try XCTUnwrap(runs["status-of"])
        XCTAssertEqual(folded(statuses.stdout), ["done in <t>s"])
        XCTAssertGreaterThanOrEqual(try timing(statuses.stdout[0]), 0.5 - 0.05, "the /slow page's 0.5 s timeout")
        XCTAssertEqual(statuses.value, "[200, 404, 'timed out']")
        let httpError = try XCTUnwrap(runs["http-error"]?.error as? urllib.error.HTTPError)
        XCTAssertEqual([httpError.pythonName, httpError.pythonMessage], ["HTTPError", "HTTP Error 404: Not Found"])
        XCTAssertNil(runs["http-error"]?.value)
        let cpu = try XCTUnwrap(runs["cpu-time"])
        XCTAssertEqual(folded(cpu.stdout), ["wall <t>s"])
        XCTAssertEqual(cpu.value, "True", "the threads' CPU time is below half the wall time")
    }
}
