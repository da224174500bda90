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

    func testLinesRunTogetherAreNamedNotSkipped() throws {
        let suggestion = try XCTUnwrap(
            try suggest([["A startingmain keeps going", "", "A done"], ["A starting", "main keeps going", "A done"]]))
        guard case .cannotRepeat(let why) = suggestion else { return XCTFail("\(suggestion)") }
        XCTAssertTrue(
            why.contains(#""A startingmain keeps going" is "A starting" and "main keeps going" on one line"#), why)
        // A blank line that comes and goes is what such runs leave behind: never optional.
        let blank = try XCTUnwrap(try suggest([["a", "", "b"], ["a", "b"]]))
        guard case .cannotRepeat(let blankWhy) = blank else { return XCTFail("\(blank)") }
        XCTAssertTrue(blankWhy.contains("no counterpart"), blankWhy)
    }

    /// The issue's case: a child's line printed in 2 of 6 runs (its pid differing).
    func testALineOnlySomeRunsPrintGetsAnOptionalPatternForThatLineOnly() throws {
        let without = ["parent starts", "parent done"]
        let runs = [
            without, ["parent starts", "child 4744 says hi", "parent done"], without, without,
            ["parent starts", "parent done", "child 4790 says hi"], without,
        ]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"optional": "^child \\d+ says hi$"}"#)
        let learned = try rules(entry)
        for a in runs {
            for b in runs {
                XCTAssertTrue(
                    try CellComparison(expected: lines(a), actual: lines(b), rules: learned).matches, "\(a) \(b)")
            }
        }
        // Every other line still counts, and a changed child's line is no child's line.
        let changes = [
            ["parent starts"], ["parent startz", "parent done"], ["parent done", "parent starts"],
            ["parent starts", "child 4744 says bye", "parent done"],
        ]
        for change in changes {
            XCTAssertFalse(
                try CellComparison(expected: lines(runs[1]), actual: lines(change), rules: learned).matches, "\(change)"
            )
        }
    }

    func testALineThatMovesAndComesAndGoesIsOnlyOptional() throws {
        let runs = [["start", "child says hi", "end"], ["start", "end", "child says hi"], ["start", "end"]]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"optional": "^child says hi$"}"#)
    }

    func testAnOptionalLineInTheFirstRunMayBeMissingButNoOtherLine() throws {
        let runs = [["start", "worker 1 finished", "end"], ["start", "end"], ["start", "end"]]
        let entry = try XCTUnwrap(try suggest(runs)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"optional": "^worker 1 finished$"}"#)
        XCTAssertNil(
            try RuleNarrowness.hiddenChange(
                in: lines(runs[0]), under: rules(entry), absentSometimes: [OptionalLines.key("stdout", 1)]))
        // Told no run lacked it, the same rule would hide a missing line.
        let hidden = try RuleNarrowness.hiddenChange(in: lines(runs[0]), under: rules(entry))
        XCTAssertEqual(hidden, "a missing line: worker 1 finished (stdout)")
    }

    func testAnOptionalPatternThatWouldLetALineAlwaysPrintedGoIsWithheld() throws {
        // "item 2" is absent once and "item 3" once in its place: the mask learned for them
        // covers "item 1" too, which every run prints; with the optional "item 2" it could go.
        let suggestion = try XCTUnwrap(try suggest([["item 1", "item 2"], ["item 1"], ["item 1", "item 3"]]))
        guard case .tooBroad(let why) = suggestion else { return XCTFail("\(suggestion)") }
        XCTAssertTrue(why.contains("a missing line: item 1"), why)
    }

    /// nbrun's runs differ by a line CPython's runs happened never to print.
    func testALineSomeOfNbrunsRunsPrintGetsAnOptionalPatternWhenThatIsAllThatDiffers() throws {
        let cpython = [["start", "end"], ["start", "end"], ["start", "end"]].map(lines)
        let late = ["start", "thread T1 late", "end"]
        let nbrun = [["start", "end"], late, ["start", "end"]].map(lines)
        func suggestion(_ cpython: [OutputLines], _ nbrun: [OutputLines]) throws -> RuleSuggestion? {
            try RuleLearner.suggest(
                cpython: cpython, nbrun: nbrun, faithful: false, defaults: CompareRules(), current: CompareRules())
        }
        let entry = try XCTUnwrap(try suggestion(cpython, nbrun)?.entry)
        XCTAssertEqual(RulesFile.compact(.object(entry)), #"{"optional": "^thread T1 late$"}"#)
        XCTAssertTrue(try CellComparison(expected: cpython[0], actual: lines(late), rules: rules(entry)).matches)
        // A line every nbrun run prints and no CPython run does is a difference, not a race.
        XCTAssertNil(try suggestion(cpython, [late, late, late].map(lines)))
        // A line every CPython run prints that some nbrun runs lose: the rule would hide it.
        let lost = try XCTUnwrap(try suggestion([late, late].map(lines), nbrun))
        guard case .tooBroad(let why) = lost else { return XCTFail("\(lost)") }
        XCTAssertTrue(why.contains("a missing line: thread T1 late"), why)
        // Combined with what CPython's own runs need.
        let timed = [["took 0.50s", "end"], ["took 0.90s", "end"]].map(lines)
        let both = try XCTUnwrap(
            try suggestion(timed, [["took 0.55s", "end"], ["took 0.60s", "thread T1 late", "end"]].map(lines))?.entry)
        XCTAssertEqual(
            RulesFile.compact(.object(both)), #"{"tolerance": {"relative": 0.4}, "optional": "^thread T1 late$"}"#)
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
