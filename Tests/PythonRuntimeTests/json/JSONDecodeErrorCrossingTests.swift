import Futures
import TestKit
import XCTest

@testable import PythonRuntime

/// A `json.JSONDecodeError` raised in a worker process comes back as the same class, a
/// `ValueError` as in Python, with the fields CPython gives it (`msg`, `pos`, `lineno`, `colno`).
final class JSONDecodeErrorCrossingTests: XCTestCase {
    func testAJSONDecodeErrorCrossesAsItselfWithCPythonsFields() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
        let documents = ["[1, 2", "{\"a\": }", "\n\n  nope", "{\"a\": 1} x"]
        let python = try PythonReference.lines(
            """
            import json
            for doc in \(PyValue.list(documents.map(PyValue.str)).repr):
                try: json.loads(doc)
                except json.JSONDecodeError as e:
                    print(type(e).__name__, isinstance(e, ValueError), e.msg, e.pos, e.lineno, e.colno, '|', e)
            """)
        _ = runtimeExceptionsRegistered
        var swift: [String] = []
        for document in documents {
            do {
                _ = try json.loads(document)
            } catch {
                // What a worker sends for it, and what the parent makes of that.
                let remade = PythonExceptions.make(
                    qualifiedName: PythonExceptions.qualifiedName(of: error), name: pythonExceptionName(of: error),
                    message: pythonExceptionMessage(of: error))
                guard let e = remade as? json.JSONDecodeError else {
                    XCTFail("\(document): came back as \(type(of: remade))")
                    continue
                }
                let isValueError = (remade as BaseException) is builtins.ValueError
                swift.append(
                    "\(e.pythonName) \(isValueError ? "True" : "False") \(e.msg) \(e.pos) \(e.lineno) \(e.colno) | \(e)"
                )
            }
        }
        XCTAssertEqual(swift, python)
    }

    /// A message that does not read back as the class's keeps its name and text as sent.
    func testAMessageOfAnotherFormComesBackByName() {
        _ = runtimeExceptionsRegistered
        let remade = PythonExceptions.make(
            qualifiedName: "json.JSONDecodeError", name: "JSONDecodeError", message: "something else")
        XCTAssertTrue(remade is PythonError)
        XCTAssertEqual(
            [pythonExceptionName(of: remade), pythonExceptionMessage(of: remade)],
            ["JSONDecodeError", "something else"])
    }
}
