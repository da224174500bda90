import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Where Python 3.11's `concurrent.futures.ProcessPoolExecutor` raises at `submit` rather than failing the future,
/// compared with the real python3.
final class ProcessSubmitRefusalTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testSubmitToABrokenPoolRaisesBrokenProcessPool() throws {
        let expected = try pythonRaises(
            """
                pid = pool.submit(os.getpid).result()
                os.kill(pid, signal.SIGKILL)
                time.sleep(0.5)
            """)
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        let pid = try pool.submit(FixtureFunctions.whoami, 0).result()
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        XCTAssertTrue(eventually { (try? pool.submit(FixtureFunctions.square, 1)) == nil })
        XCTAssertEqual(swiftRaises(pool), expected)
        XCTAssertEqual(expected.first?.hasPrefix("BrokenProcessPool|A child process terminated abruptly"), true)
        pool.shutdown()
    }

    /// What python3 prints (`type(exc).__name__|str(exc)`) for a `submit` and a `map` on a pool
    /// after `scenario`.
    private func pythonRaises(_ scenario: String) throws -> [String] {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        return try PythonReference.lines(
            """
            import os, signal, time
            from concurrent.futures import ProcessPoolExecutor
            def square(x): return x * x
            if __name__ == '__main__':
                pool = ProcessPoolExecutor(1)
            \(scenario)
                for call in (lambda: pool.submit(square, 2), lambda: pool.map(square, [1, 2])):
                    try:
                        call()
                        print('no exception')
                    except Exception as exc:
                        print(type(exc).__name__, str(exc), sep='|')
            """)
    }

    private func swiftRaises(_ pool: concurrent.futures.ProcessPoolExecutor) -> [String] {
        func describe(_ call: () throws -> Void) -> String {
            do {
                try call()
                return "no exception"
            } catch {
                return "\(pythonExceptionName(of: error))|\(pythonExceptionMessage(of: error))"
            }
        }
        return [
            describe { try pool.submit(FixtureFunctions.square, 2) },
            describe { _ = try pool.map(FixtureFunctions.square, [1, 2]) },
        ]
    }
}
