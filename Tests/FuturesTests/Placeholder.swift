import XCTest

final class FuturesPlaceholderTests: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
