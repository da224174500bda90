import Engine
import Foundation
import Notebook
import SystemCalls
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

    // MARK: - One budget for the whole notebook

    /// CPU seconds `body` takes on this thread (a loaded machine does not change it much).
    func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
        let started = Clock.threadCPU
        try body()
        return Clock.threadCPU - started
    }

    func assertStoppedByTheNotebookBudget(
        _ error: Error?, _ pattern: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let message = error.map { "\($0)" } ?? "no error"
        XCTAssertTrue(
            message.contains("mask \"\(pattern)\" was stopped when the notebook's rules had used their"), message,
            file: file, line: line)
        XCTAssertEqual(message.split(separator: "\n").count, 1, message, file: file, line: line)
    }

    /// `(x+x+)+y` costs ~0.085 s on a line of 21 `x`s: under the per-line budget, so only the
    /// notebook's budget stops it on 10,000 such lines (unbounded: about 850 s).
    func testManyLinesJustUnderTheLineBudgetSpendTheNotebooksBudget() throws {
        let lines = [String](repeating: String(repeating: "x", count: 21), count: 10_000)
        var error: Error?
        let seconds = try cpuSeconds {
            XCTAssertThrowsError(
                try CellComparison(
                    expected: stdout(lines), actual: stdout(["x"]), rules: rules(#"{"mask": "(x+x+)+y"}"#),
                    budget: PatternBudget(seconds: 0.5))
            ) { error = $0 }
        }
        assertStoppedByTheNotebookBudget(error, "(x+x+)+y")
        XCTAssertLessThan(seconds, 2, "0.5 s (and 0.2 s of characters) of budget took \(seconds) s of CPU")
    }

    /// ICU reports no progress while it compares a back-reference with the line, so no
    /// budget could stop `^(a+)\1b` on 300,000 `a`s (12.5 s): back-references are refused
    /// when the rules are read.
    func testBackReferencesAreRefusedInRulePatterns() throws {
        for pattern in [#"^(a+)\1b"#, #"(?<x>a)\k<x>"#, #"(a)(b)\2"#] {
            XCTAssertThrowsError(try rules(#"{"mask": \#(json(pattern))}"#), pattern) { error in
                XCTAssertTrue("\(error)".contains("back-references"), "\(error)")
                XCTAssertEqual("\(error)".split(separator: "\n").count, 1)
            }
        }
        XCTAssertNoThrow(
            try rules(#"{"mask": ["\\\\1", "\\d+", "[\\\\]"]}"#), "an escaped backslash before 1 is no back-reference")
    }

    /// A mask that matches empty text inserts `<masked>` at every place: four of them would grow
    /// a 10 kB line 6,561-fold. What masks write is spent from the budget, so they stop early.
    func testMasksMatchingEmptyTextCannotGrowALineWithoutBound() throws {
        let line = String(repeating: "y", count: 10_000)
        var error: Error?
        let seconds = try cpuSeconds {
            XCTAssertThrowsError(
                try CellComparison(
                    expected: stdout([line]), actual: stdout([line]),
                    rules: rules(#"{"mask": ["(?=)", "(?=)", "(?=)", "(?=)"]}"#), budget: PatternBudget(seconds: 0.5))
            ) { error = $0 }
        }
        assertStoppedByTheNotebookBudget(error, "(?=)")
        XCTAssertLessThan(seconds, 2)
        // One such mask on an ordinary line is allowed, and masks both sides alike.
        XCTAssertTrue(
            try CellComparison(
                expected: stdout(["a 1", "b"]), actual: stdout(["a 1", "b"]), rules: rules(#"{"mask": "(?=)"}"#)
            ).matches)
    }

    /// The budget is the notebook's: cells that each fit in it alone do not all fit together.
    func testTheCellsOfANotebookShareOneBudget() throws {
        var cells: [Cell] = []
        for index in 0..<10 {
            var cell = Cell(type: .code, id: "c\(index)", source: "print('x' * 21)")
            cell.metadata["nbrun"] = .object(JSONObject([("mask", .string("(x+x+)+y"))]))
            cell.outputs = [
                .stream(name: "stdout", text: String(repeating: String(repeating: "x", count: 21) + "\n", count: 2))
            ]
            cells.append(cell)
        }
        let notebook = Notebook(cells: cells)
        let pairs = cells.indices.map { ($0, $0) }
        let seconds = try cpuSeconds {
            _ = try NotebookComparison.compare(
                expected: notebook, actual: notebook, pairs: [(0, 0)], path: "x.ipynb", registry: DemoRegistry([]),
                rules: .empty, budget: PatternBudget(seconds: 0.5))
        }
        XCTAssertLessThan(seconds, 0.5, "one cell alone fits in the budget")
        XCTAssertThrowsError(
            try NotebookComparison.compare(
                expected: notebook, actual: notebook, pairs: pairs, path: "x.ipynb", registry: DemoRegistry([]),
                rules: .empty, budget: PatternBudget(seconds: 0.5))
        ) { error in
            XCTAssertTrue(
                "\(error)".contains("(x+x+)+y\" was stopped when the notebook's rules had used their"), "\(error)")
        }
    }
}
