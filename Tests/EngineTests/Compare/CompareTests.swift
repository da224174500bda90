import Engine
import Notebook
import XCTest

/// The rules that decide when fresh outputs show the same as committed ones.
final class CompareTests: XCTestCase {
    func lines(_ stdout: String, error: (String, String)? = nil) -> OutputLines {
        var outputs: [Output] = [.stream(name: "stdout", text: stdout)]
        if let error { outputs.append(.error(ename: error.0, evalue: error.1, traceback: [])) }
        return OutputLines(outputs)
    }

    func rules(_ json: String) throws -> CompareRules {
        var rules = CompareRules()
        let object = try XCTUnwrap(JSONReader.parse(Array(json.utf8)).objectValue)
        try rules.apply(object, origin: "test")
        return rules
    }

    func same(_ a: String, _ b: String, _ rules: CompareRules = CompareRules()) throws -> Bool {
        try CellComparison(expected: lines(a), actual: lines(b), rules: rules).matches
    }

    func testMeasuredNumbersMatchWithinToleranceCountsExactly() throws {
        XCTAssertTrue(try same("elapsed: 0.50s\n", "elapsed: 0.52s\n"))
        XCTAssertTrue(try same("8 fetched in 0.60s\n", "8 fetched in 0.61s\n"))
        XCTAssertFalse(try same("elapsed: 0.50s\n", "elapsed: 1.50s\n"), "a tripled time fails")
        XCTAssertFalse(try same("got: 400000\n", "got: 399999\n"), "integers are exact")
        XCTAssertFalse(try same("8 fetched in 0.60s\n", "9 fetched in 0.60s\n"))
    }

    func testEverythingElseIsExactAndInOrder() throws {
        let map = "https://site/0 -> 200 OK\nhttps://site/1 -> 200 OK\n"
        XCTAssertTrue(try same(map, map))
        XCTAssertFalse(try same(map, "https://site/1 -> 200 OK\nhttps://site/0 -> 200 OK\n"), "two map lines swapped")
        XCTAssertFalse(try same(map, "https://site/0 -> 200 OK\n"), "a dropped line")
        XCTAssertFalse(try same(map, "https://site/0 -> 404 OK\nhttps://site/1 -> 200 OK\n"))
        XCTAssertFalse(try same("A done\n", "A finished\n"), "a changed word")
        XCTAssertFalse(
            try CellComparison(
                expected: lines("x\n"), actual: lines("x\n", error: ("ValueError", "boom")),
                rules: CompareRules()
            ).matches, "a new error output")
    }

    func testUnorderedCellsCompareAsAMultiset() throws {
        let all = try rules(#"{"unordered": true}"#)
        XCTAssertTrue(try same("T0 done\nT1 done\nT2 done\n", "T2 done\nT0 done\nT1 done\n", all))
        XCTAssertFalse(try same("T0 done\nT1 done\n", "T1 done\nT1 done\n", all), "a renamed line fails")
        XCTAssertFalse(try same("T0 done\nT1 done\n", "T1 done\n", all), "a missing line fails")
        // Only the lines a pattern names may move; the rest keep their order.
        let some = try rules(#"{"unordered": "^T\\d (starting|done)$"}"#)
        XCTAssertTrue(
            try same(
                "T0 starting\nT1 starting\nT1 done\nT0 done\nelapsed: 0.50s\n",
                "T1 starting\nT0 starting\nT0 done\nT1 done\nelapsed: 0.51s\n", some))
        XCTAssertFalse(try same("a\nb\nT0 done\n", "b\na\nT0 done\n", some))
    }

    /// A child's line CPython printed in 2 of 6 runs: `optional` lets it be absent on either
    /// side, and nothing else.
    func testOptionalLinesMayBeAbsent() throws {
        let optional = try rules(#"{"optional": "^child \\d+ says hi$"}"#)
        let with = "parent starts\nchild 7 says hi\nparent done in 0.50s\n"
        let without = "parent starts\nparent done in 0.51s\n"
        XCTAssertTrue(try same(with, without, optional), "absent in the fresh run")
        XCTAssertTrue(try same(without, with, optional), "absent in the committed run")
        XCTAssertTrue(try same(with, "parent starts\nchild 9 says hi\nparent done in 0.50s\n", optional))
        XCTAssertFalse(try same(with, without), "without the rule the line is missing")
        XCTAssertFalse(try same(with, "parent starts\n", optional), "other lines still count")
        XCTAssertFalse(
            try same(with, "parent starts\nchild 7 says hi\nchild says bye\nparent done in 0.5s\n", optional))
        let report = try CellComparison(
            expected: lines(with), actual: lines("parent starts\nparent done in 9.0s\n"), rules: optional)
        XCTAssertEqual(report.differences.filter { $0.contains("child") }, [], "an optional line is no difference")
        // Among lines compared in any order too.
        let both = try rules(#"{"optional": "^child", "unordered": true}"#)
        XCTAssertTrue(try same("b\nchild x\na\n", "a\nb\n", both))
        XCTAssertFalse(try same("b\nchild x\na\n", "a\nchild x\n", both))
        XCTAssertThrowsError(try rules(#"{"optional": "("}"#))
        XCTAssertThrowsError(try rules(#"{"optional": 3}"#))
    }

    func testMasksHideUnpredictableValues() throws {
        let masked = try rules(#"{"mask": ["got: +(\\d+)"]}"#)
        XCTAssertTrue(try same("expected: 400000\ngot:      400000\n", "expected: 400000\ngot:      273114\n", masked))
        XCTAssertFalse(try same("expected: 400000\ngot:      400000\n", "expected: 399999\ngot:      273114\n", masked))
    }

    func testToleranceAndSkipCanBeOverridden() throws {
        XCTAssertTrue(try same("t 1.0\n", "t 3.0\n", try rules(#"{"tolerance": {"relative": 1.0}}"#)))
        XCTAssertTrue(try same("a\n", "b\n", try rules(#"{"skip": true}"#)))
    }

    func testBadRulesAreRefusedWithWhereTheyCameFrom() {
        XCTAssertThrowsError(try rules(#"{"unorderd": true}"#)) {
            XCTAssertTrue("\($0)".contains("unknown rule"), "\($0)")
        }
        XCTAssertThrowsError(try rules(#"{"mask": ["("]}"#)) {
            XCTAssertTrue("\($0)".contains("invalid regular expression"), "\($0)")
        }
        XCTAssertThrowsError(try rules(#"{"tolerance": {"relative": -1}}"#))
    }

    func testStreamChunkingDoesNotMatter() {
        let chunked = OutputLines([
            .stream(name: "stdout", text: "A starting\nmain"), .stream(name: "stdout", text: " thread\n"),
        ])
        XCTAssertEqual(chunked.stdout, ["A starting", "main thread"])
    }

    func testDiffShowsExpectedAndActualLines() throws {
        let comparison = try CellComparison(
            expected: lines("keep\nold\n"), actual: lines("keep\nnew\n"), rules: CompareRules())
        XCTAssertEqual(comparison.differences, ["stdout:", "   keep", "  -old", "  +new"])
    }

    /// An `execute_result` (`Out[n]`) with this `text/plain`.
    func value(_ text: String, count: Int64 = 1) -> Output {
        Output(
            outputType: .executeResult,
            fields: JSONObject([
                ("data", .object(JSONObject([("text/plain", .string(text))]))), ("execution_count", .int(count)),
            ]))
    }

    func display(_ bundle: [(String, String)]) -> Output {
        Output(
            outputType: .displayData,
            fields: JSONObject([("data", .object(JSONObject(bundle.map { ($0.0, JSONValue.string($0.1)) })))]))
    }

    func testValuesCompareByTheirTextUnderTheStreamRules() throws {
        func same(_ a: [Output], _ b: [Output], _ rules: CompareRules = CompareRules()) throws -> Bool {
            try CellComparison(expected: OutputLines(a), actual: OutputLines(b), rules: rules).matches
        }
        XCTAssertTrue(try same([value("{'a': 700, 'b': 1300}")], [value("{'a': 700, 'b': 1300}", count: 4)]))
        XCTAssertFalse(try same([value("{'a': 700, 'b': 1300}")], [value("{'a': 1300, 'b': 700}")]), "ints are exact")
        XCTAssertTrue(try same([value("(0.20, 3)")], [value("(0.21, 3)")]), "measured numbers within tolerance")
        XCTAssertFalse(try same([value("R0\nR1")], [value("R1\nR0")]), "lines in order")
        XCTAssertTrue(try same([value("R0\nR1")], [value("R1\nR0")], try rules(#"{"unordered": true}"#)))
        XCTAssertTrue(try same([value("id 17")], [value("id 93")], try rules(#"{"mask": ["id (\\d+)"]}"#)))
        XCTAssertFalse(try same([value("True")], []), "a value that went away")
        XCTAssertFalse(try same([.stream(name: "stdout", text: "True\n")], [value("True")]), "printed is not a value")
    }

    func testDisplaysCompareByTheirMimeTypesAndPlainText() throws {
        func same(_ a: [(String, String)], _ b: [(String, String)]) throws -> Bool {
            try CellComparison(
                expected: OutputLines([display(a)]), actual: OutputLines([display(b)]), rules: CompareRules()
            )
            .matches
        }
        let html = [("text/plain", "<HTML object>"), ("text/html", "<b>1</b>")]
        XCTAssertTrue(
            try same(html, [("text/html", "<b>2</b>"), ("text/plain", "<HTML object>")]), "the HTML itself is free")
        XCTAssertFalse(try same(html, [("text/plain", "<HTML object>"), ("text/markdown", "**1**")]), "another form")
        XCTAssertFalse(try same(html, [("text/plain", "<Other object>"), ("text/html", "<b>1</b>")]), "another text")
    }
}
