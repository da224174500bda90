import Foundation
import Futures
import Processes
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The worker binary for process tests: `FuturesWorkerFixture`, built next to the test bundle.
package enum WorkerFixture {
    package static let name = "FuturesWorkerFixture"

    /// `$FUTURES_WORKER_FIXTURE` if set, else the sibling of the running test executable
    /// (`.build/debug/` or whatever scratch path is in use).
    package static let path: String? = {
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["FUTURES_WORKER_FIXTURE"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(name).path)
        }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(name).path)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Points every pool and process at the fixture; fails (never skips) the test if it is missing.
    package static func install(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let path else {
            XCTFail("\(name) not found next to the test bundle; build it with `swift build`", file: file, line: line)
            throw XCTSkip("unreachable")  // the test has already failed
        }
        ProcessWorker.defaultExecutable = path
        return path
    }
}

/// Whether `pid` is gone or a zombie (dead, waiting for some parent to reap it).
package func processIsDead(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return true }
    let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
    return state == "Z" || state == "X"
}

/// Polls until every pid is dead; returns those still alive after `limit` seconds.
package func survivors(of pids: [Int32], within limit: TimeInterval = 10) -> [Int32] {
    let start = DispatchTime.now()
    var alive = pids.filter { !processIsDead($0) }
    while !alive.isEmpty && seconds(since: start) < limit {
        sleep(seconds: 0.02)
        alive = alive.filter { !processIsDead($0) }
    }
    return alive
}

/// Polls `condition` for at most `limit` seconds.
package func eventually(within limit: TimeInterval = 10, _ condition: () -> Bool) -> Bool {
    let start = DispatchTime.now()
    while !condition() {
        if seconds(since: start) > limit { return false }
        sleep(seconds: 0.01)
    }
    return true
}

package func assertPythonError<T>(
    _ expression: @autoclosure () throws -> T, _ ename: String, _ evalue: String? = nil,
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let value = try expression()
        XCTFail("expected \(ename), got \(value)", file: file, line: line)
    } catch let error as any PythonNamedError {
        XCTAssertEqual(error.pythonName, ename, file: file, line: line)
        if let evalue { XCTAssertEqual(error.pythonMessage, evalue, file: file, line: line) }
    } catch {
        XCTFail("expected Python's \(ename), got \(type(of: error)): \(error)", file: file, line: line)
    }
}

/// Seconds from `start` to now, on the monotonic clock.
package func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

/// A plain sleep of the test's thread (no GIL involved).
package func sleep(seconds: Double) {
    Thread.sleep(forTimeInterval: seconds)
}
