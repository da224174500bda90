import XCTest

final class DemosPlaceholderTests: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
