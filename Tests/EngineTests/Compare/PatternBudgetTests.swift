import Engine
import Foundation
import Notebook
import XCTest

/// A rule pattern that backtracks without bound is stopped, with an error naming the rule;
/// good patterns are never mistaken for one, however long the line.
final class PatternBudgetTests: XCTestCase {
    /// Patterns ICU needs exponential (or, for the last, huge polynomial) time for on a line
    /// of `a`s or `x`s that does not end the way the pattern wants.
    static let catastrophic: [(pattern: String, letter: Character)] = [
        ("(x+x+)+y", "x"), ("(a+)+b", "a"), ("(a|aa)+b", "a"), ("(a|a)*b", "a"), ("(.*a){20}", "a"),
    ]

    func rules(_ json: String) throws -> CompareRules {
        var rules = CompareRules()
        try rules.apply(XCTUnwrap(JSONReader.parse(Array(json.utf8)).objectValue), origin: "metadata.nbrun")
        return rules
    }

    func stdout(_ lines: [String]) -> OutputLines {
        OutputLines([.stream(name: "stdout", text: lines.map { $0 + "\n" }.joined())])
    }

    /// Compares a line of `length` letters (committed) with a plain line (fresh) under `json`;
    /// returns the error and how long it took to come.
    func runaway(_ json: String, letter: Character, length: Int) throws -> (RuleError?, TimeInterval) {
        let line = String(repeating: letter, count: length)
        let started = Date()
        do {
            _ = try CellComparison(expected: stdout(["done", line]), actual: stdout(["done"]), rules: rules(json))
            return (nil, Date().timeIntervalSince(started))
        } catch let error as RuleError {
            return (error, Date().timeIntervalSince(started))
        }
    }

    func json(_ pattern: String) -> String {
        String(decoding: JSONWriter.bytes(.string(pattern)), as: UTF8.self)
    }

    func testCatastrophicMasksAreStoppedWithAnErrorNamingTheRule() throws {
        for (pattern, letter) in Self.catastrophic {
            for length in [32, 64] {
                let (error, seconds) = try runaway(#"{"mask": \#(json(pattern))}"#, letter: letter, length: length)
                let message = try XCTUnwrap(error, "\(pattern) on \(length) \(letter)s was not stopped").description
                XCTAssertTrue(message.hasPrefix("metadata.nbrun: mask \"\(pattern)\" was stopped"), message)
                XCTAssertTrue(message.contains("(\(length) characters)"), message)
                XCTAssertEqual(message.split(separator: "\n").count, 1, message)
                // Unbounded, each of these takes from 16 s to years; the budget is 0.2 s of CPU.
                XCTAssertLessThan(seconds, 10, "\(pattern) on \(length) characters took \(seconds) s to stop")
            }
        }
    }

    func testCatastrophicUnorderedPatternsAreStoppedToo() throws {
        for (pattern, letter) in Self.catastrophic.prefix(3) {
            let (error, _) = try runaway(#"{"unordered": [\#(json(pattern))]}"#, letter: letter, length: 64)
            let message = try XCTUnwrap(error, "\(pattern) in unordered was not stopped").description
            XCTAssertTrue(message.hasPrefix("metadata.nbrun: unordered \"\(pattern)\" was stopped"), message)
        }
    }

    func testABacktrackingStackOverflowIsAnErrorNotASilentMiss() throws {
        // ICU keeps one backtrack entry per repetition of the group: 4 M of them outgrow its 8 MB.
        let line = String(repeating: "ab", count: 2_000_000)
        XCTAssertThrowsError(
            try CellComparison(expected: stdout([line]), actual: stdout([line]), rules: rules(#"{"mask": "(a|b)*c"}"#))
        ) { error in
            XCTAssertTrue("\(error)".contains("outgrew the regex engine's memory"), "\(error)")
        }
    }

    func testGoodPatternsOnLongLinesAreNotStopped() throws {
        let long = String(repeating: "worker 3 took 0.52 s; ", count: 5000)  // 110,000 characters
        let masks = try rules(#"{"mask": ["took (\\d+\\.\\d+) s", "^.*done$", "[a-z]+ \\d"], "unordered": "^T\\d"}"#)
        let comparison = try CellComparison(
            expected: stdout([long, "done"]), actual: stdout([long, "done"]), rules: masks)
        XCTAssertTrue(comparison.matches)
        // An image without text/plain is compared as one line of its JSON: 2 MB of base64.
        let image = String(repeating: "iVBORw0KGgoAAAANSUhEUgAAAggAAABDCAYAAAD5", count: 50_000)
        XCTAssertTrue(try CellComparison(expected: stdout([image]), actual: stdout([image]), rules: masks).matches)
        // A quadratic pattern over a line of a few thousand characters stays well inside the budget.
        let quadratic = try rules(#"{"mask": ".*done"}"#)
        let line = String(repeating: "y", count: 3000)
        XCTAssertTrue(try CellComparison(expected: stdout([line]), actual: stdout([line]), rules: quadratic).matches)
    }

    func testTheCheckErrorNamesTheCellAndWhereTheRuleWasWritten() throws {
        var cell = Cell(type: .code, id: "abc", source: "print('x' * 64)")
        cell.metadata["nbrun"] = .object(JSONObject([("mask", .string("(x+x+)+y"))]))
        cell.outputs = [.stream(name: "stdout", text: String(repeating: "x", count: 64) + "\n")]
        let notebook = Notebook(cells: [Cell(type: .markdown, source: "# title"), cell])
        var fresh = notebook
        fresh.cells[1].outputs = [.stream(name: "stdout", text: "x\n")]
        XCTAssertThrowsError(
            try NotebookComparison.compare(
                expected: notebook, actual: fresh, pairs: [(1, 1)], path: "course/x.ipynb",
                registry: DemoRegistry([]), rules: .empty)
        ) { error in
            let message = "\(error)"
            XCTAssertTrue(
                message.hasPrefix("cell 2 (id abc): metadata.nbrun: mask \"(x+x+)+y\" was stopped after 0.2 s"), message
            )
        }
    }
}
