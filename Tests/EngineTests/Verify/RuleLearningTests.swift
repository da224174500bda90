import Foundation
import Notebook
import XCTest

@testable import Engine

/// `verify --suggest-rules`: rules learned from how CPython's runs differ, and kept narrow.
final class RuleLearningTests: XCTestCase {
    private func lines(_ stdout: [String]) -> OutputLines {
        var lines = OutputLines([])
        lines.stdout = stdout
        return lines
    }

    private func suggest(_ runs: [[String]], current: CompareRules = CompareRules()) throws -> RuleSuggestion? {
        try RuleLearner.suggest(runs: runs.map(lines), defaults: CompareRules(), current: current)
    }

    private func rules(_ entry: JSONObject) throws -> CompareRules {
        var rules = CompareRules()
        try rules.apply(entry, origin: "test")
        return rules
    }

    func testRunsThatAgreeNeedNoRule() throws {
        XCTAssertNil(try suggest([["a", "elapsed: 0.50s"], ["a", "elapsed: 0.52s"]]))
    }

    func testMovedLinesGetAnAnchoredUnorderedPatternForThoseLinesOnly() throws {
        let runs = [
            ["T0 starting", "T1 starting", "T0 done", "T1 done", "elapsed: 0.50s"],
            ["T0 starting", "T1 starting", "T1 done", "T0 done", "elapsed: 0.51s"],
        ]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        // One of the two lines that swapped is let move (the other then keeps its place).
        XCTAssertTrue(
            [#"{"unordered": "^T0 done$"}"#, #"{"unordered": "^T1 done$"}"#].contains(
                RulesFile.compact(.object(entry))),
            RulesFile.compact(.object(entry)))
        let learned = try rules(entry)
        XCTAssertTrue(try CellComparison(expected: lines(runs[0]), actual: lines(runs[1]), rules: learned).matches)
        // The starting lines keep their order: only what moved may move.
        let swapped = ["T1 starting", "T0 starting", "T0 done", "T1 done", "elapsed: 0.50s"]
        XCTAssertFalse(try CellComparison(expected: lines(runs[0]), actual: lines(swapped), rules: learned).matches)
    }

    func testChangingTokensGetAMaskAnchoredOnTheTextAroundThem() throws {
        let runs = [["counting", "got: 123456", "expected 400000"], ["counting", "got: 98765", "expected 400000"]]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"mask": ["^got: (\\d+)$"]}"#)
        // A word that changes is masked by the values seen, not by any word.
        let words = [["state: idle", "end"], ["state: busy", "end"]]
        let wordEntry = try XCTUnwrap(try suggest(words)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(wordEntry)), #"{"mask": ["^state: (idle|busy)$"]}"#)
        let learned = try rules(wordEntry)
        XCTAssertFalse(
            try CellComparison(expected: lines(words[0]), actual: lines(["state: gone", "end"]), rules: learned).matches
        )
    }

    func testMeasuredNumbersWidenTheToleranceOnlyAsFarAsNeeded() throws {
        let runs = [["sequential: 1.00s"], ["sequential: 1.60s"]]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        // (0.60 - 0.05) / 1.60 = 0.34: the next 0.05 up.
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"tolerance": {"relative": 0.35}}"#)
    }

    func testLinesThatComeAndGoAreNamedNotSkipped() throws {
        let suggestion = try XCTUnwrap(
            try suggest([["A startingmain keeps going", "", "A done"], ["A starting", "main keeps going", "A done"]]))
        guard case .cannotRepeat(let why) = suggestion else { return XCTFail("\(suggestion)") }
        XCTAssertTrue(why.contains("no counterpart"), why)
    }

    func testARuleThatWouldHideADeliberateChangeIsWithheld() throws {
        // A tolerance wide enough for these runs would pass a tripled time too.
        let suggestion = try XCTUnwrap(try suggest([["took 1.00s"], ["took 9.00s"]]))
        guard case .tooBroad(let why) = suggestion else { return XCTFail("\(suggestion)") }
        XCTAssertTrue(why.contains("a wrong value"), why)
    }

    /// Every deliberate change to the first run is caught under a learned rule.
    func testLearnedRulesStillCatchEachDeliberateChange() throws {
        let runs = [
            ["roll: 1000", "x1", "x2", "x3", "end"],
            ["roll: 1007", "x2", "x3", "x1", "end"],
            ["roll: 1014", "x3", "x1", "x2", "end"],
        ]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        let learned = try rules(entry)
        for run in runs {
            XCTAssertTrue(try CellComparison(expected: lines(runs[0]), actual: lines(run), rules: learned).matches)
        }
        let changes = [
            ["rool: 1000", "x1", "x2", "x3", "end"],  // a changed word
            ["roll: 1000", "x1", "x2", "x3"],  // a missing line
            ["roll: 1000", "x1", "x2", "x4", "end"],  // a wrong value
            ["end", "x1", "x2", "x3", "roll: 1000"],  // a wrong order where CPython's is fixed
        ]
        for change in changes {
            XCTAssertFalse(
                try CellComparison(expected: lines(runs[0]), actual: lines(change), rules: learned).matches, "\(change)"
            )
        }
        XCTAssertNil(try RuleNarrowness.hiddenChange(in: lines(runs[0]), under: learned))
    }

    func testTheRulesInForceAreRespected() throws {
        let current = try rules(JSONObject([("unordered", .bool(true))]))
        XCTAssertNil(try suggest([["a", "b"], ["b", "a"]], current: current))
    }
}
