import Dispatch
import Foundation
import XCTest

@testable import Futures

final class WaitTests: XCTestCase {
    func testEmptyInputReturnsAtOnce() {
        let (done, notDone) = concurrent.futures.wait([concurrent.futures.Future<Int>]())
        XCTAssertTrue(done.isEmpty && notDone.isEmpty)
    }
}
