import Foundation
import Futures
import PythonRuntime
import TestKit
import XCTest

/// What a scenario prints, line by line, from any of its threads.
package final class Printed: Sendable {
    package init() {}

    private let lines = Locked<[String]>([])

    package func callAsFunction(_ items: Any...) {
        let line = items.map { String(describing: $0) }.joined(separator: " ")
        lines.withLock { $0.append(line) }
    }

    package var all: [String] { lines.withLock { $0 } }
}

/// Runs `scenario` as a cell does: on a thread of its own inside a fresh interpreter, as
/// its MainThread. Fails (instead of hanging the suite) if it has not ended in 30 s, e.g.
/// because a wait kept the GIL another thread needed.
package func runInInterpreter(
    _ interpreter: PyInterpreter = PyInterpreter(), file: StaticString = #filePath, line: UInt = #line,
    _ scenario: @escaping @Sendable () throws -> Void
) {
    let done = DispatchSemaphore(value: 0)
    let failure = Locked<(any Error)?>(nil)
    Thread {
        do { try interpreter.run(scenario) } catch { failure.withLock { $0 = error } }
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + 30) == .success else {
        return XCTFail("the scenario did not end within 30 s", file: file, line: line)
    }
    if let error = failure.withLock({ $0 }) {
        XCTFail("the scenario threw \(pythonExceptionName(of: error)): \(error)", file: file, line: line)
    }
}

/// The python3 reference for a scenario: what `script` prints. Skips the test without python3.
package func pythonPrints(_ script: String) throws -> [String] {
    guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    return try PythonReference.lines(script)
}

/// `print(type(e).__name__, e)` for an error a look-alike threw, as Python's `except` prints it.
package func described(_ error: any Error) -> String {
    "\(pythonExceptionName(of: error)) \(pythonExceptionMessage(of: error))"
}

/// Runs `body`, returning Python's `type(e).__name__ + " " + str(e)` if it throws, else "no error".
package func raised(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch {
        return described(error)
    }
}

/// Runs `body` on a new thread inside `interpreter`; `group` is left when it returns.
package func spawn(in interpreter: PyInterpreter, _ group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
    group.enter()
    Thread {
        interpreter.run(body)
        group.leave()
    }.start()
}
