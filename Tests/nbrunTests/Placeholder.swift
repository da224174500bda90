import XCTest

final class nbrunPlaceholderTests: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
