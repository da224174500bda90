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
        try child.join(timeout: 0.05)
        XCTAssertNil(try child.exitcode)
        XCTAssertTrue(try child.isAlive)
        try child.kill()
        try child.join()
        XCTAssertEqual(try child.exitcode, -SIGKILL)
        XCTAssertFalse(try child.isAlive)
    }
}
