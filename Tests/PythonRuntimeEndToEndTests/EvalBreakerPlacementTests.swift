import Foundation
import PythonRuntime
import TestKit
import XCTest

/// Where threads may switch decides whether a race loses updates, so a port calls
/// `evalBreaker()` where CPython 3.11's eval loop checks (a loop's backward jump, a function's
/// start, after a call returns), no more. The tutorial's race: four threads each run
/// `for _ in range(n): counter += 1` on a global. On 3.8 (a check after most bytecodes) the
/// threads switch between the read and the write and lose updates; on 3.11 they switch only at
/// the loop's jump, never inside `counter += 1`, so nothing is lost (and a cell that retries
/// until it loses an update spins forever). A call between the read and the write brings the
/// loss back on 3.11.
final class EvalBreakerPlacementTests: XCTestCase {
    static let race = """
        import sys, threading
        sys.setswitchinterval(1e-5)  # many switches, so a switch point shows in every run
        N = 100_000
        counter = 0
        def plain(n):
            global counter
            for _ in range(n):
                counter += 1
        def call_between(n):
            global counter
            for _ in range(n):
                x = counter
                abs(0)
                counter = x + 1
        for name, target in [('plain', plain), ('call between', call_between)]:
            lost = 0
            for attempt in range(5):
                counter = 0
                threads = [threading.Thread(target=target, args=(N,)) for _ in range(4)]
                for t in threads: t.start()
                for t in threads: t.join()
                lost += counter != 4 * N
            print(f'{name}: lost updates in {lost} of 5 runs')
        """

    func testCPython311LosesNoUpdateInsideTheLoopBodyButDoesAroundACall() throws {
        let version = try PythonReference.run("import sys; print(sys.version_info[:2] == (3, 11))")
        try XCTSkipUnless(version == "True\n", "the placement tested is 3.11's")
        let lines = try PythonReference.lines(Self.race)
        XCTAssertEqual(lines.first, "plain: lost updates in 0 of 5 runs")
        XCTAssertNotEqual(lines.last, "call between: lost updates in 0 of 5 runs", lines.joined(separator: "\n"))
    }

    /// The same race under CPython 3.8, when pyenv has one (this machine's does): it loses
    /// updates without any call in the loop's body.
    func testCPython38LosesUpdatesInThePlainLoop() throws {
        let pyenv = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".pyenv/versions")
        let python38 = (try? FileManager.default.contentsOfDirectory(atPath: pyenv.path))?
            .filter { $0.hasPrefix("3.8.") }.sorted().last
            .map { pyenv.appendingPathComponent("\($0)/bin/python3").path }
        guard let python38, FileManager.default.isExecutableFile(atPath: python38) else {
            throw XCTSkip("no CPython 3.8 under ~/.pyenv")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python38)
        process.arguments = ["-c", Self.race]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertFalse(text.contains("plain: lost updates in 0 of 5"), text)
    }

    /// The port of the race, with `evalBreaker()` where 3.11 checks (the loop's jump, after the
    /// store) loses nothing; with it where 3.8 could switch (between the read and the write)
    /// it loses updates, as 3.8 does.
    func testThePortLosesUpdatesOnlyWhenItChecksInsideTheIncrement() {
        XCTAssertEqual(lostUpdates(checkingBetweenReadAndWrite: false), 0)
        XCTAssertGreaterThan(lostUpdates(checkingBetweenReadAndWrite: true), 0)
    }

    /// Four threads of one interpreter adding 1 to a shared counter until each has run 60 ms
    /// of CPU (a dozen switch intervals); returns how many additions were lost.
    private func lostUpdates(checkingBetweenReadAndWrite: Bool) -> Int {
        let interpreter = PyInterpreter()
        let counter = Counter()
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread {
                interpreter.run {
                    let end = time.threadTime() + 0.06
                    while time.threadTime() < end {
                        // counter += 1
                        let read = counter.value
                        if checkingBetweenReadAndWrite { evalBreaker() }
                        counter.value = read + 1
                        counter.additions += 1
                        evalBreaker()  // JUMP_BACKWARD: 3.11 checks here
                    }
                }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        return counter.additions - counter.value
    }

    /// The notebook's global, touched only while holding the interpreter's GIL.
    private final class Counter: @unchecked Sendable {
        // @unchecked: every access holds the interpreter's GIL, as Python's globals do.
        var value = 0
        var additions = 0
    }
}
