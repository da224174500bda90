import Demos
import Foundation
import PythonRuntime
import XCTest

/// What the tests of every notebook's ports share: find a demo by name, run it with a fresh
/// context and read back its stdout lines, fold measured numbers, read a timing off a line.
/// A test class names its notebook's demos; the reference lines it compares against are
/// CPython 3.11's outputs from the course's `reference/NN-name.cpython-3.11.ipynb`.
protocol PortTests: XCTestCase {
    /// The notebook's registered ports, e.g. `Threads02.demos`.
    static var demos: [Demo] { get }
}

extension PortTests {
    static func demo(_ name: String) -> Demo {
        guard let demo = demos.first(where: { $0.name == name }) else {
            fatalError("no demo named \(name)")
        }
        return demo
    }

    /// Runs a demo with a fresh context; returns its stdout lines, checking it wrote no stderr.
    func run(_ name: String, seed: UInt64 = 2) throws -> [String] {
        let ctx = DemoContext(seed: seed)
        try Self.demo(name).run(ctx)
        return lines(of: ctx, name)
    }

    /// The stdout lines a context captured (each ends with a newline), with no stderr.
    func lines(of ctx: DemoContext, _ name: String) -> [String] {
        let streams = ctx.capturedStreams()
        XCTAssertFalse(streams.contains { $0.name == .stderr }, "\(name) wrote to stderr")
        let text = streams.filter { $0.name == .stdout }.map(\.text).joined()
        XCTAssertTrue(text.hasSuffix("\n"), "\(name): output does not end with a newline")
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Replaces decimal numbers (timings) by `<t>`.
    func folded(_ lines: [String]) -> [String] {
        lines.map { $0.replacingOccurrences(of: #"\d+\.\d+"#, with: "<t>", options: .regularExpression) }
    }

    /// The decimal timing on a line such as `elapsed: 0.50s`.
    func timing(_ line: String) throws -> Double {
        let range = try XCTUnwrap(line.range(of: #"\d+\.\d+"#, options: .regularExpression), line)
        return try XCTUnwrap(Double(line[range]))
    }
}

/// One cell's run in a notebook run as a kernel runs it: what it printed, its value, the
/// error it raised, how long it took.
struct SessionCellRun {
    var stdout: [String] = []
    var stderr = ""
    var value: String?
    var error: BaseException?
    var seconds = 0.0
}

extension PortTests {
    /// Runs every cell of a notebook written step by step in notebook order, in one context
    /// with one fresh session, as a kernel runs it; each cell's run by demo name.
    func runSession(seed: UInt64) throws -> [String: SessionCellRun] {
        let ctx = DemoContext(seed: seed)
        let session = try XCTUnwrap(Self.demos.first?.session).make()
        var runs: [String: SessionCellRun] = [:]
        for demo in Self.demos {
            ctx.beginCell(seed: seed)
            var run = SessionCellRun()
            let start = time.perfCounter()
            do {
                ctx.recordValue(try demo.evaluate(ctx, session))
            } catch {
                run.error =
                    error as? BaseException
                    ?? PythonError(pythonExceptionName(of: error), pythonExceptionMessage(of: error))
            }
            run.seconds = time.perfCounter() - start
            for output in ctx.endCell() {
                switch output {
                case let .stream(.stdout, text): run.stdout += text.split(separator: "\n").map(String.init)
                case let .stream(.stderr, text): run.stderr += text
                case .value(let value): run.value = value.repr
                case .display: XCTFail("\(demo.name) displayed something")
                }
            }
            runs[demo.name] = run
        }
        return runs
    }
}
