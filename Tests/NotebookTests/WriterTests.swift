import Notebook
import XCTest

/// The details of nbformat's output that the corpus could miss.
final class WriterTests: XCTestCase {
    func write(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }

    func testRealsAreWrittenAsPythonsRepr() {
        let cases: [(Double, String)] = [
            (2e-07, "2e-07"), (1e+300, "1e+300"), (0.1, "0.1"), (-0.0, "-0.0"), (1.0, "1.0"),
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"), (1e-05, "1e-05"),
            (123456789.123, "123456789.123"), (Double.leastNonzeroMagnitude, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (100.0, "100.0"), (1e22, "1e+22"), (-2.5, "-2.5"), (0.30000000000000004, "0.30000000000000004"),
            (1.5e-10, "1.5e-10"), (12345678901234567.0, "1.2345678901234568e+16"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(write(.real(value)), expected, "\(value)")
        }
    }

    func testStringsEscapeLikePythonsJsonWithoutEnsureAscii() {
        XCTAssertEqual(write(.string("a\"b\\c\n\r\t\u{8}\u{c}")), #""a\"b\\c\n\r\t\b\f""#)
        XCTAssertEqual(write(.string("\u{1b}[0;31m\u{0}\u{1f}\u{7f}")), #""\u001b[0;31m\u0000\u001f"# + "\u{7f}\"")
        XCTAssertEqual(write(.string("é ✓ 😀 \u{2028}")), "\"é ✓ 😀 \u{2028}\"")
    }

    func testLayoutIsIndentOneSortedKeys() {
        let value = JSONValue.object(
            JSONObject([("b", .array([.int(1), .null])), ("a", .object(JSONObject())), ("B", .array([]))]))
        XCTAssertEqual(write(value), "{\n \"B\": [],\n \"a\": {},\n \"b\": [\n  1,\n  null\n ]\n}")
    }

    func testSourcesAndStreamsAreStoredAsPythonsSplitlines() throws {
        let text = "a\nb\r\nc\rd\u{0b}e\u{0c}f\u{1c}g\u{85}h\u{2028}i\u{2029}j"
        var cell = Cell(type: .code, source: text)
        cell.outputs = [.stream(name: "stdout", text: text)]
        let notebook = Notebook(nbformat: 4, nbformatMinor: 4, cells: [cell])
        let reread = try NotebookFile.decode(notebook.canonicalBytes())
        XCTAssertEqual(reread, notebook)
        guard case .object(let top) = notebook.json, case .array(let cells)? = top["cells"],
            case .object(let written)? = cells.first
        else { return XCTFail("shape") }
        let lines = written["source"]?.arrayValue?.compactMap(\.stringValue)
        XCTAssertEqual(
            lines, ["a\n", "b\r\n", "c\r", "d\u{0b}", "e\u{0c}", "f\u{1c}", "g\u{85}", "h\u{2028}", "i\u{2029}", "j"])
        XCTAssertEqual(written["outputs"]?.arrayValue?.first?.objectValue?["text"]?.arrayValue?.count, 10)
    }

    func testEmptySourceIsAnEmptyList() {
        let notebook = Notebook(nbformat: 4, nbformatMinor: 4, cells: [Cell(type: .markdown, source: "")])
        XCTAssertTrue(String(decoding: notebook.canonicalBytes(), as: UTF8.self).contains("\"source\": []"))
    }

    func testDistinctButCanonicallyEquivalentStringsStayDistinct() throws {
        let composed = JSONValue.string("\u{e9}"), decomposed = JSONValue.string("e\u{301}")
        XCTAssertNotEqual(composed, decomposed)
        var object = JSONObject()
        object["\u{e9}"] = .int(1)
        object["e\u{301}"] = .int(2)
        XCTAssertEqual(object.count, 2)
    }
}
