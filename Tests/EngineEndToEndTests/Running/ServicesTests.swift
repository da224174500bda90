import Demos
import Engine
import Foundation
import Notebook
import PythonRuntime
import TestKit
import XCTest

/// Services that cannot be started fail by name before anything runs, and leave no process
/// behind; the notebooks that need a service are found from their ports.
final class ServicesTests: XCTestCase {

    func problem(starting service: Service) -> String? {
        var ran = false
        defer { XCTAssertFalse(ran, "the body ran although the service did not start") }
        do {
            try Services.with([service]) { ran = true }
        } catch let error as ServiceError {
            return error.description
        } catch {
            return "unexpected: \(error)"
        }
        return nil
    }

    /// Processes whose command line is exactly `arguments` (alive, not zombies).
    func processes(runningExactly arguments: [String]) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard let raw = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), !stat[stat.index(after: close)...].hasPrefix(" Z")
            else { return false }
            return raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) } == arguments
        }
    }

    func testAServiceThatNeverAnswersFailsByNameAndIsStopped() {
        let port = freeLoopbackPort()
        let marker = "31.\(port)"  // a sleep no other test runs
        let silent = Service(
            name: "silent", executable: "/bin/sleep", arguments: [marker], port: port, notebooks: ["x"],
            startupTimeout: 1)
        XCTAssertEqual(problem(starting: silent), "service silent: did not answer on port \(port) within 1 s")
        XCTAssertEqual(processes(runningExactly: ["/bin/sleep", marker]), [], "the silent service was left running")
    }

    func testAServiceThatExitsFailsByNameWithWhatItPrinted() {
        let port = freeLoopbackPort()
        let failing = Service(
            name: "failing", executable: "/bin/sh", arguments: ["-c", "echo cannot bind >&2; exit 3"], port: port,
            notebooks: ["x"])
        XCTAssertEqual(
            problem(starting: failing),
            "service failing: exited with status 3 before it answered on port \(port): cannot bind")
    }

    func testAMissingExecutableFailsByName() {
        let missing = Service(
            name: "ghost", executable: "no-such-server-here", port: freeLoopbackPort(), notebooks: ["x"])
        XCTAssertEqual(
            problem(starting: missing)?.hasPrefix("service ghost: no-such-server-here not found next to "), true)
    }

    func testOnlyNotebooksWhosePortsNeedAServiceStartIt() throws {
        let registry = DemoRegistry(Catalog.demos)
        func plan(_ name: String) throws -> RunPlan {
            let path = URL(fileURLWithPath: CourseGoldenTests.path).deletingLastPathComponent()
                .appendingPathComponent("\(name).ipynb").path
            return try RunPlan(path: path, notebook: NotebookFile.read(path), registry: registry)
        }
        let io = try plan("07-io")
        let threads = try plan("02-threads")
        XCTAssertEqual(Services.needed(by: [threads], among: Catalog.services).map(\.name), [])
        XCTAssertEqual(Services.needed(by: [threads, io, io], among: Catalog.services).map(\.name), ["io-server"])
    }
}
