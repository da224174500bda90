import Foundation
import Notebook
import XCTest

final class CellIDTests: XCTestCase {
    func idless(minor: Int64) -> Notebook {
        Notebook(
            nbformat: 4, nbformatMinor: minor,
            cells: [
                Cell(type: .markdown, source: "# same"),
                Cell(type: .markdown, source: "# same"),
                Cell(type: .code, id: "kept-id", source: "x = 1"),
                Cell(type: .code, source: ""),
                Cell(type: .raw, source: ""),
            ])
    }

    func testIdsAreDeterministicUniqueAndValid() throws {
        var first = idless(minor: 5), second = idless(minor: 5)
        XCTAssertEqual(first.assignMissingCellIDs(), 4)
        second.assignMissingCellIDs()
        let ids = first.cells.compactMap(\.id)
        XCTAssertEqual(ids, second.cells.compactMap(\.id), "same notebook, same ids")
        XCTAssertEqual(ids.count, 5)
        XCTAssertEqual(Set(ids).count, 5, "unique, even for identical cells")
        XCTAssertEqual(ids[2], "kept-id")
        let pattern = try NSRegularExpression(pattern: "^[a-zA-Z0-9-_]{1,64}$")
        for id in ids {
            XCTAssertEqual(pattern.numberOfMatches(in: id, range: NSRange(id.startIndex..., in: id)), 1, id)
        }
    }

    func testMinorFourNotebooksStayIdless() {
        var notebook = idless(minor: 4)
        XCTAssertEqual(notebook.assignMissingCellIDs(), 0)
        XCTAssertEqual(notebook.cells.compactMap(\.id), ["kept-id"])
    }
}
