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
        let expected = try pythonPoolRaises(
            after:
                """
                    pid = pool.submit(os.getpid).result()
                    os.kill(pid, signal.SIGKILL)
                    time.sleep(0.5)
                """)
        let pool = concurrent.futures.ProcessPoolExecutor(maxWorkers: 1)
        let pid = try pool.submit(FixtureFunctions.whoami, 0).result()
        XCTAssertEqual(kill(pid, SIGKILL), 0)
        XCTAssertTrue(eventually { (try? pool.submit(FixtureFunctions.square, 1)) == nil })
        XCTAssertEqual(
            swiftRaises([
                { try pool.submit(FixtureFunctions.square, 2) }, { _ = try pool.map(FixtureFunctions.square, [1, 2]) },
            ]), expected)
        XCTAssertEqual(expected.first?.hasPrefix("BrokenProcessPool|A child process terminated abruptly"), true)
        pool.shutdown()
    }

}
