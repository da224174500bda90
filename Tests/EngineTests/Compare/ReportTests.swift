import Engine
import Notebook
import XCTest

/// The pieces `check` and `diff` report with: JUnit XML, nbclient timestamps, cell pairing.
final class ReportTests: XCTestCase {
    func testJUnitEscapesMarkupAndControlCharacters() {
        var report = JUnitReport()
        report.cases = [
            .init(
                notebook: "a&b.ipynb", name: #"cell 1 [nb/"x"<y>]"#, seconds: 0.25,
                failure: "-\u{1B}[31mred\n+ok\tfine\u{0}"),
            .init(notebook: "a&b.ipynb", name: "cell 2", seconds: 1, failure: nil),
        ]
        let xml = report.xml
        XCTAssertTrue(xml.contains(#"<testsuite name="a&amp;b.ipynb" tests="2" failures="1">"#), xml)
        XCTAssertTrue(xml.contains(#"name="cell 1 [nb/&quot;x&quot;&lt;y&gt;]" time="0.250">"#), xml)
        XCTAssertTrue(
            xml.contains("-\\u{1b}[31mred\n+ok\tfine\\u{0}</failure>"),
            "controls XML cannot hold are shown, not written: \(xml)")
        XCTAssertTrue(xml.contains(#"<testcase classname="a&amp;b.ipynb" name="cell 2" time="1.000"/>"#), xml)
        XCTAssertFalse(xml.unicodeScalars.contains { $0.value < 0x20 && !["\n", "\t"].contains($0) })
    }

    func testTimestampsParseOnlyNbclientsForm() throws {
        let stamp = try XCTUnwrap(Timestamp(parsing: "2026-11-24T17:39:05.229153Z"))
        XCTAssertEqual(stamp.description, "2026-11-24T17:39:05.229153Z")
        XCTAssertEqual(stamp.microseconds, 229_153)
        for wrong in [
            "2026/11/24T17:39:05.229153Z", "2026-11-24 17:39:05.229153Z", "2026-11-24T17-39-05.229153Z",
            "2026-11-24T17:39:05,229153Z", "2026-11-24T17:39:05.229153+", "2026-11-24T17:39:05.22915Z",
            "2026-11-2xT17:39:05.229153Z", "",
        ] {
            XCTAssertNil(Timestamp(parsing: wrong), wrong)
        }
    }

    func testRecordedSecondsComeFromExecuteInputToReply() {
        let metadata = JSONObject([
            (
                "execution",
                .object(
                    JSONObject([
                        ("iopub.execute_input", .string("2026-11-24T17:39:05.750000Z")),
                        ("shell.execute_reply", .string("2026-11-24T17:39:07.000000Z")),
                    ]))
            )
        ])
        XCTAssertEqual(CellTiming.recordedSeconds(in: metadata), 1.25)
        XCTAssertNil(CellTiming.recordedSeconds(in: JSONObject()))
    }

    /// Timings come with the notebook: one that cannot be true is no record at all, so it
    /// can neither hold a cell back nor stretch `check`'s timeout.
    func testRecordedSecondsThatCannotBeTrueCountAsNone() {
        func recorded(_ input: String, _ reply: String) -> Double? {
            CellTiming.recordedSeconds(
                in: JSONObject([
                    (
                        "execution",
                        .object(
                            JSONObject([
                                ("iopub.execute_input", .string(input)), ("shell.execute_reply", .string(reply)),
                            ]))
                    )
                ]))
        }
        XCTAssertNil(recorded("2026-11-24T17:39:05.750000Z", "2026-11-23T17:39:05.750000Z"), "a day early")
        XCTAssertNil(recorded("2026-11-24T17:39:05.750000Z", "2026-11-24T17:39:00.750000Z"), "5 s early")
        XCTAssertNil(recorded("0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z"), "ten millennia")
        XCTAssertNil(recorded("2026-11-24T17:39:05.750000Z", "2026-11-26T17:39:05.750000Z"), "two days")
        XCTAssertEqual(recorded("2026-11-24T17:39:05.750000Z", "2026-11-24T17:39:05.750000Z"), 0)
        XCTAssertEqual(recorded("2026-11-24T00:00:00.000000Z", "2026-11-25T00:00:00.000000Z"), 86_400)
    }

    func code(_ id: String?) -> Cell { Cell(type: .code, id: id, source: "") }
    func prose() -> Cell { Cell(type: .markdown, source: "text") }

    func testDiffPairsCodeCellsByIdElseByPosition() throws {
        let a = Notebook(cells: [prose(), code("x"), code("y")])
        let moved = Notebook(cells: [code("y"), prose(), prose(), code("x")])
        XCTAssertEqual(
            try XCTUnwrap(NotebookComparison.pairCodeCells(a, moved)).map { [$0.0, $0.1] }, [[1, 3], [2, 0]],
            "by id, wherever the cells moved")
        let renamed = Notebook(cells: [code("p"), code("q"), prose()])
        XCTAssertEqual(
            try XCTUnwrap(NotebookComparison.pairCodeCells(a, renamed)).map { [$0.0, $0.1] }, [[1, 0], [2, 1]],
            "ids that disagree: by position")
        let noIDs = Notebook(nbformatMinor: 4, cells: [code(nil), prose(), code(nil)])
        XCTAssertEqual(
            try XCTUnwrap(NotebookComparison.pairCodeCells(a, noIDs)).map { [$0.0, $0.1] }, [[1, 0], [2, 2]])
        let duplicated = Notebook(cells: [code("x"), code("x")])
        XCTAssertEqual(
            try XCTUnwrap(NotebookComparison.pairCodeCells(duplicated, duplicated)).map { [$0.0, $0.1] },
            [[0, 0], [1, 1]],
            "repeated ids: by position")
        XCTAssertNil(
            NotebookComparison.pairCodeCells(a, Notebook(cells: [code("p")])), "different counts, no shared ids")
    }
}
