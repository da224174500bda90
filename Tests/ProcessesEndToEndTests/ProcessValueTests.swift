import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ProcessValueTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
    }

    func testJoinWithATimeoutAndKill() throws {
        let child = multiprocessing.Process(target: FixtureFunctions.whoami, args: 30)
        try child.start()
        child.join(timeout: 0.05)
        XCTAssertNil(child.exitcode)
        XCTAssertTrue(child.isAlive)
        child.kill()
        child.join()
        XCTAssertEqual(child.exitcode, -SIGKILL)
        XCTAssertFalse(child.isAlive)
    }
}
