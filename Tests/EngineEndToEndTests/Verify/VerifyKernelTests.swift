import EngineTestKit
import Foundation
import Notebook
import PythonRuntime
import TestKit
import XCTest

@testable import Engine

/// `nbrun verify` against a real Jupyter kernel (nbclient + ipykernel from `NBRUN_PYTHON`,
/// the venv `make pyenv` makes): ports made deliberately unfaithful are caught and named,
/// and a cell whose CPython output varies gets a rule that passes CPython's runs and still
/// catches each deliberate change.
final class VerifyKernelTests: XCTestCase {
    /// Counts the kernels that ran it, so each CPython run prints differently (0, 1, 2).
    static let counter = """
        import fcntl
        with open('runs.log', 'a+') as log:
            fcntl.flock(log, fcntl.LOCK_EX)
            log.seek(0)
            n = len(log.read())
            log.write('x')
        """
    static let fixed = """
        print('alpha beta')
        print('total:', 6 * 7)
        print('gamma')
        """
    static let varying = """
        print('roll:', 1000 + 7 * n)
        for x in (['x1', 'x2', 'x3'] * 2)[n % 3:n % 3 + 3]:
            print(x)
        print('end')
        """
    /// A thread's line that races the cell's end: printed at once in one run of three
    /// (inside the cell), three seconds late in the others (after it, so nbclient drops it).
    static let racing = """
        import threading, time
        def child():
            time.sleep(0 if n % 3 == 1 else 3)
            print('child thread says hi')
        threading.Thread(target=child, daemon=True).start()
        time.sleep(0.5)
        print('cell done')
        """

    private var folder = ""

    override func setUpWithError() throws {
        folder = try ScratchFolder.make("nbrun-verify-test")
        var notebook = Fixture.notebook([
            Fixture.codeCell(Self.counter, tags: [], id: "counter"),
            Fixture.codeCell(Self.fixed, id: "fixed"),
            Fixture.codeCell(Self.varying, id: "varying"),
            Fixture.codeCell(Self.racing, id: "racing"),
        ])
        notebook.metadata["kernelspec"] = .object(
            JSONObject([
                ("display_name", .string("Python 3")), ("language", .string("python")), ("name", .string("python3")),
            ]))
        try NotebookFile.write(notebook, to: path)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private var path: String { "\(folder)/fixture.ipynb" }

    private func registry(fixed: [String], varying: [String], racing: [String] = ["cell done"]) -> DemoRegistry {
        DemoRegistry([
            Fixture.demo(Self.fixed, name: "fixed") { context in fixed.forEach { context.print($0) } },
            Fixture.demo(Self.varying, name: "varying") { context in varying.forEach { context.print($0) } },
            Fixture.demo(Self.racing, name: "racing") { context in racing.forEach { context.print($0) } },
        ])
    }

    private static let faithfulFixed = ["alpha beta", "total: 42", "gamma"]
    private static let faithfulVarying = ["roll: 1000", "x1", "x2", "x3", "end"]

    /// The ports' runs of `registry`, judged against `cpython`.
    private func verdicts(
        _ registry: DemoRegistry, _ cpython: KernelBatch.NotebookRuns, rules: RuleBook = .empty, suggest: Bool = false
    ) throws -> [CellVerdict] {
        let plan = try RunPlan(path: path, notebook: NotebookFile.read(path), registry: registry)
        let nbrun = Engine.run([plan, plan, plan]).map(\.notebook)
        return try Verification.judge(plan, cpython: cpython, nbrun: nbrun, rules: rules, suggest: suggest).verdicts
    }

    func testUnfaithfulPortsAreCaughtAndNamedAndLearnedRulesStayNarrow() throws {
        let python = try XCTUnwrap(PythonReference.executable, "no python3: set NBRUN_PYTHON (make pyenv)")
        let faithful = registry(fixed: Self.faithfulFixed, varying: Self.faithfulVarying)
        let plan = try RunPlan(path: path, notebook: NotebookFile.read(path), registry: faithful)
        let cpython = try KernelBatch.run([plan], rules: [.empty], python: python, runs: 3)[0]
        XCTAssertEqual(cpython.executed.count, 3, "\(cpython.failures)")
        XCTAssertEqual(cpython.failures, [])

        // Faithful ports: every nbrun run matches a CPython run (the varying cell: run 1's).
        let judged = try verdicts(faithful, cpython, suggest: true)
        XCTAssertEqual(judged.map(\.faithful), [true, true, true], judged.map(\.differences).description)
        XCTAssertNil(judged[0].suggestion, "CPython repeats the fixed cell exactly")

        // Deliberately unfaithful ports of the fixed cell: each is caught and named.
        let unfaithful: [(String, [String], String)] = [
            ("a changed word", ["alpha beat", "total: 42", "gamma"], "+alpha beat"),
            ("a missing line", ["alpha beta", "total: 42"], "-gamma"),
            ("a wrong value", ["alpha beta", "total: 41", "gamma"], "+total: 41"),
            ("a wrong order", ["alpha beta", "gamma", "total: 42"], "total: 42"),
        ]
        for (what, lines, shown) in unfaithful {
            let verdict = try verdicts(registry(fixed: lines, varying: Self.faithfulVarying), cpython)[0]
            XCTAssertFalse(verdict.faithful, what)
            XCTAssertEqual(verdict.label.description, "cell 2 (id fixed)", what)
            XCTAssertEqual(verdict.demo, "fixture/fixed", what)
            XCTAssertTrue(verdict.differences.contains { $0.contains(shown) }, "\(what): \(verdict.differences)")
        }

        // A rule CPython's runs never needed that lets a wrong value through is pointed out.
        let masking = "\(folder)/masking.json"
        try AtomicFile.write(Array(#"{"demos": {"fixture/fixed": {"mask": ["^total: (\\d+)$"]}}}"#.utf8), to: masking)
        let hiding = try verdicts(
            registry(fixed: ["alpha beta", "total: 41", "gamma"], varying: Self.faithfulVarying), cpython,
            rules: RuleBook.load(masking, registry: faithful))[0]
        XCTAssertTrue(hiding.faithful)
        XCTAssertEqual(
            hiding.hiddenByRules ?? [], ["stdout:", "   alpha beta", "  -total: 42", "  +total: 41", "   gamma"])
        XCTAssertNil(judged[0].hiddenByRules)

        // The varying cell: the rule learned from CPython's runs, written to nbrun.json...
        let suggestion = try XCTUnwrap(judged[1].suggestion?.entry, "\(String(describing: judged[1].suggestion))")
        let rulesPath = "\(folder)/nbrun.json"
        try RulesFile.write([("fixture/varying", suggestion)], to: rulesPath)
        let rules = try RuleBook.load(rulesPath, registry: faithful)
        let cellRules = try rules.rules(for: plan.notebook.cells[2], demo: "fixture/varying")
        // ...passes each CPython run against every other...
        for a in judged[1].cpython {
            for b in judged[1].cpython {
                XCTAssertTrue(try CellComparison(expected: a, actual: b, rules: cellRules).matches, "\(a) \(b)")
            }
        }
        // ...and still catches each deliberate change of its port.
        let changes: [(String, [String])] = [
            ("a changed word", ["rool: 1000", "x1", "x2", "x3", "end"]),
            ("a missing line", ["roll: 1000", "x1", "x2", "x3"]),
            ("a wrong value", ["roll: 1000", "x1", "x2", "x4", "end"]),
            ("a wrong order", ["end", "x1", "x2", "x3", "roll: 1000"]),
        ]
        XCTAssertTrue(try verdicts(faithful, cpython, rules: rules)[1].faithful)
        for (what, lines) in changes {
            let verdict = try verdicts(registry(fixed: Self.faithfulFixed, varying: lines), cpython, rules: rules)[1]
            XCTAssertFalse(verdict.faithful, what)
            XCTAssertEqual(verdict.demo, "fixture/varying", what)
        }

        // The racing cell: the thread's line, in one CPython run of three, is made optional...
        XCTAssertEqual(
            judged[2].cpython.map { $0.stdout.contains("child thread says hi") }.filter { $0 }.count, 1,
            "\(judged[2].cpython.map(\.stdout))")
        let optional = try XCTUnwrap(judged[2].suggestion?.entry, "\(String(describing: judged[2].suggestion))")
        XCTAssertEqual(RulesFile.compact(.object(optional)), #"{"optional": "^child thread says hi$"}"#)
        try RulesFile.write([("fixture/racing", optional)], to: rulesPath)
        let racingRules = try RuleBook.load(rulesPath, registry: faithful)
        // ...so a port printing it, or not, is faithful; one that loses another line is not.
        let printing = registry(
            fixed: Self.faithfulFixed, varying: Self.faithfulVarying, racing: ["child thread says hi", "cell done"])
        XCTAssertTrue(try verdicts(printing, cpython, rules: racingRules)[2].faithful)
        XCTAssertTrue(try verdicts(faithful, cpython, rules: racingRules)[2].faithful)
        let losing = registry(fixed: Self.faithfulFixed, varying: Self.faithfulVarying, racing: [])
        XCTAssertFalse(try verdicts(losing, cpython, rules: racingRules)[2].faithful)
    }

    func testAPythonWithoutTheKernelPackagesFailsWithOneLine() throws {
        let python = try XCTUnwrap(PythonReference.executable)
        let bare = "\(folder)/bare"
        let made = Process()
        made.executableURL = URL(fileURLWithPath: python)
        // A venv without packages: its python cannot import nbclient (system site-packages off).
        made.arguments = ["-m", "venv", "--without-pip", bare]
        try made.run()
        made.waitUntilExit()
        XCTAssertEqual(made.terminationStatus, 0)
        XCTAssertThrowsError(try KernelBatch.checkPython("\(bare)/bin/python")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("cannot import nbformat, nbclient, ipykernel"), text)
            XCTAssertTrue(text.contains("pip install"), text)
            XCTAssertFalse(text.contains("\n"), text)
        }
        XCTAssertThrowsError(try KernelBatch.checkPython("\(folder)/no-such-python")) { error in
            XCTAssertTrue("\(error)".contains("no such program"), "\(error)")
        }
    }
}

/// The kernel honours cell timeouts as nbclient does: interrupted where the rules ask
/// (`"interrupt": true`, nbclient's `interrupt_on_timeout`), else the run stops there.
final class KernelTimeoutTests: XCTestCase {
    func testATimedOutCellIsInterruptedWhereAskedElseTheRunStops() throws {
        let python = try XCTUnwrap(PythonReference.executable, "no python3: set NBRUN_PYTHON (make pyenv)")
        let folder = try ScratchFolder.make("nbrun-verify-test")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let slow = "import time\ntime.sleep(30)"
        var notebook = Fixture.notebook([
            Fixture.codeCell(slow, tags: ["no-run", "raises-exception"], id: "slow"),
            Fixture.codeCell("print('after')", id: "after"),
        ])
        notebook.metadata["kernelspec"] = .object(JSONObject([("name", .string("python3"))]))
        let path = "\(folder)/timeouts.ipynb"
        try NotebookFile.write(notebook, to: path)
        let registry = DemoRegistry([
            Fixture.demo(slow, name: "slow", notebook: "timeouts") { _ in },
            Fixture.demo("print('after')", name: "after", notebook: "timeouts") { context in context.print("after") },
        ])
        let plan = try RunPlan(path: path, notebook: NotebookFile.read(path), registry: registry)
        let driver = "\(folder)/\(KernelDriverScript.fileName)"
        try AtomicFile.write(Array(KernelDriverScript.source.utf8), to: driver)
        func run(interrupt: Bool, index: Int) -> (KernelRun.Outcome, Double) {
            let settings = KernelCellSettings(
                timeouts: [0: 2], interrupt: interrupt ? [0] : [], defaultTimeout: 60, folder: folder)
            let start = Date()
            let outcome = KernelRun(python: python, driver: driver, plan: plan, settings: settings, workFolder: folder)
                .run(admission: KernelAdmission(), index: index)
            return (outcome, Date().timeIntervalSince(start))
        }

        let (interrupted, seconds) = run(interrupt: true, index: 0)
        guard case let .executed(executed, stopped) = interrupted else { return XCTFail("\(interrupted)") }
        XCTAssertEqual(stopped, "")
        XCTAssertLessThan(seconds, 25, "the sleep was interrupted, not waited for")
        let error = executed.cells[0].outputs?.first { $0.outputType == .error }
        XCTAssertEqual(error?.fields["ename"]?.stringValue, "KeyboardInterrupt")
        XCTAssertEqual(OutputLines(executed.cells[1].outputs ?? []).stdout, ["after"], "the notebook went on")

        let (stoppedRun, _) = run(interrupt: false, index: 1)
        guard case let .executed(partial, why) = stoppedRun else { return XCTFail("\(stoppedRun)") }
        XCTAssertEqual(why, "timeout")
        XCTAssertEqual(partial.cells[1].outputs ?? [], [], "nbclient stopped at the timed-out cell")
    }
}
