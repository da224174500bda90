import Foundation
import PythonRuntime
import TestKit
import XCTest

/// `ctx.print` writes Python's `str()` of its arguments, checked against the real python3.
final class PythonStrTests: XCTestCase {
    func testPrintWritesWhatPythonsPrintWrites() throws {
        let ctx = DemoContext(seed: 1)
        let none: Int? = nil
        let three: Int? = 3
        ctx.print(true, false, none, three, 0.1, 1e-05, 2.5e16, 7, "it's")
        ctx.print(["a", "b'c"], [1, 2], [true], ["k": 1], (1, "x"), [0.5])
        ctx.print(PyValue.str("plain"), PyValue.list([.str("a"), .none]), [PyValue.int(1)], sep: "|")
        ctx.print([[1, 2], [3]], Set<Int>(), PyValue.tuple([.str("only")]))
        let printed = ctx.capturedStreams().map(\.text).joined()
        let python = try PythonReference.run(
            """
            print(True, False, None, 3, 0.1, 1e-05, 2.5e16, 7, "it's")
            print(['a', "b'c"], [1, 2], [True], {'k': 1}, (1, 'x'), [0.5])
            print('plain', ['a', None], [1], sep='|')
            print([[1, 2], [3]], set(), ('only',))
            """)
        XCTAssertEqual(printed, python)
    }
}

extension DemoContext {
    fileprivate func print(_ items: Any..., sep: String) {
        write(items.map(pythonStr).joined(separator: sep) + "\n", to: .stdout)
    }
}
