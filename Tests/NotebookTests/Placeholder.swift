import XCTest

final class NotebookPlaceholderTests: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
