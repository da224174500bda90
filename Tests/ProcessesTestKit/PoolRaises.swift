import Futures
import Processes
import TestKit
import XCTest

/// What python3 prints (`type(exc).__name__|str(exc)`) for a `submit` and a `map` on a
/// one-worker `ProcessPoolExecutor` after `scenario` (lines indented as the `__main__` block).
package func pythonPoolRaises(after scenario: String) throws -> [String] {
    guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
    return try PythonReference.lines(
        """
        import os, signal, time
        from concurrent.futures import ProcessPoolExecutor
        def square(x): return x * x
        if __name__ == '__main__':
            pool = ProcessPoolExecutor(1)
        \(scenario)
            for call in (lambda: pool.submit(square, 2), lambda: pool.map(square, [1, 2])):
                try:
                    call()
                    print('no exception')
                except Exception as exc:
                    print(type(exc).__name__, str(exc), sep='|')
        """)
}

/// The same line for each of `calls` run in Swift: `Name|message`, or `no exception`.
package func swiftRaises(_ calls: [() throws -> Void]) -> [String] {
    calls.map { call in
        do {
            try call()
            return "no exception"
        } catch {
            return "\(pythonExceptionName(of: error))|\(pythonExceptionMessage(of: error))"
        }
    }
}
