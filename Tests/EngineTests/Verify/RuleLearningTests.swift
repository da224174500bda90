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

/// `verify --write-rules`: merged into nbrun.json, keeping what is there, in the file's layout.
final class RulesFileTests: XCTestCase {
    func testMergeKeepsExistingRulesAndOrderAndAddsNewDemosBesideTheirNotebook() throws {
        let before = """
            {
             "defaults": {
              "tolerance": {"relative": 0.25, "absolute": 0.05}
             },
             "demos": {
              "02-threads/race": {"mask": ["^got: +(\\\\d+)$"]},
              "03-processes/chunksize": {"unordered": true}
             }
            }

            """
        guard case .object(let file) = try JSONReader.parse(Array(before.utf8)) else { return XCTFail() }
        XCTAssertEqual(RulesFile.text(file), before, "an unchanged file is written back byte for byte")
        let merged = RulesFile.merge(
            [
                ("02-threads/race", JSONObject([("mask", .array([.string("^other: (\\d+)$")]))])),
                ("02-threads/flaky", JSONObject([("unordered", .string("^a$"))])),
                ("03-processes/chunksize", JSONObject([("unordered", .string("^b$"))])),
            ], into: file)
        let text = RulesFile.text(merged)
        XCTAssertEqual(
            text,
            """
            {
             "defaults": {
              "tolerance": {"relative": 0.25, "absolute": 0.05}
             },
             "demos": {
              "02-threads/race": {"mask": ["^got: +(\\\\d+)$", "^other: (\\\\d+)$"]},
              "02-threads/flaky": {"unordered": "^a$"},
              "03-processes/chunksize": {"unordered": true}
             }
            }

            """)
        // Merging the same suggestions again changes nothing.
        XCTAssertEqual(
            RulesFile.text(
                RulesFile.merge([("02-threads/flaky", JSONObject([("unordered", .string("^a$"))]))], into: merged)),
            text)
    }

    func testTheCourseRulesFileIsWrittenBackInItsOwnLayout() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("nbrun.json").path
        let bytes = try NotebookFile.readBytes(path)
        guard case .object(let file) = try JSONReader.parse(bytes) else { return XCTFail() }
        XCTAssertEqual(RulesFile.text(file), String(decoding: bytes, as: UTF8.self))
    }
}

/// Kernel cells are admitted under the rules ports are.
final class KernelAdmissionTests: XCTestCase {
    func testAnAllCoresCellRunsAloneAndIsNotStarved() throws {
        let admission = KernelAdmission(cores: 2)
        admission.start(.timingSensitive)
        let started = Locked(false)
        let exclusive = Thread {
            admission.start(.allCores)
            started.set(true)
            admission.finish(.allCores)
        }
        exclusive.start()
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(started.get(), "it waits for the running cell")
        // Once it waits, nothing new starts before it.
        let later = Locked(false)
        let other = Thread {
            admission.start(.timingSensitive)
            later.set(started.get())
            admission.finish(.timingSensitive)
        }
        other.start()
        Thread.sleep(forTimeInterval: 0.1)
        admission.finish(.timingSensitive)
        let deadline = Date() + 10
        while !(started.get() && later.get()) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(started.get())
        XCTAssertTrue(later.get(), "the timing-sensitive cell that asked later started after the exclusive one")
    }
}

extension KernelAdmissionTests {
    func testATimingSensitiveCellKeepsACoreOfItsOwn() throws {
        let admission = KernelAdmission(cores: 2)
        admission.start(.oneCore)
        admission.start(.oneCore)  // nothing timing-sensitive: one per core
        let started = Locked(false)
        let cell = Thread {
            admission.start(.timingSensitive)
            started.set(true)
            admission.finish(.timingSensitive)
        }
        cell.start()
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(started.get(), "both cores are busy with one-core work")
        admission.finish(.oneCore)
        let deadline = Date() + 10
        while !started.get() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(started.get(), "it starts beside the one-core work left")
        admission.finish(.oneCore)
    }
}

/// A value shared with a thread in a test.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
