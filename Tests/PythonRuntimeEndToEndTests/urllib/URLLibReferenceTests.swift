import Foundation
import Futures
import Processes
import PythonRuntime
import SystemCalls
import TestKit
import XCTest

/// The urllib and json look-alikes against CPython's own, on the same server: the course's
/// `io-server` (built next to the tests) on a free port. Each scenario prints one line in
/// `python3` and the same line from the look-alikes; the lines must be equal.
final class URLLibReferenceTests: XCTestCase {
    nonisolated(unsafe) static var server: ServiceProcess?
    nonisolated(unsafe) static var port = 0

    override class func setUp() {
        super.setUp()
        guard let executable = siblingExecutable(named: "io-server") else { return }
        port = freeLoopbackPort()
        server = try? ServiceProcess(executable: executable, arguments: ["--port", String(port)])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !answers() { Thread.sleep(forTimeInterval: 0.02) }
    }

    /// Whether the server answers yet (any HTTP reply, a 404 included).
    private static func answers() -> Bool {
        do {
            _ = try urllib.request.urlopen("http://127.0.0.1:\(port)/ready", timeout: 1)
            return true
        } catch is urllib.error.HTTPError {
            return true
        } catch {
            return false
        }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        super.tearDown()
    }

    var base: String { "http://localhost:\(Self.port)" }

    override func setUpWithError() throws {
        try XCTSkipIf(PythonReference.executable == nil, "no python3")
        XCTAssertNotNil(Self.server, "io-server was not built next to the tests")
    }

    /// `b'...'` as Python prints ASCII bytes.
    func bytesRepr(_ bytes: [UInt8]) -> String {
        "b" + PyValue.str(String(decoding: bytes, as: UTF8.self)).repr
    }

    func testResponsesAndErrorsMatchCPython() throws {
        let refused = freeLoopbackPort()
        let script = """
            import json, urllib.request, urllib.error
            B = '\(base)'
            with urllib.request.urlopen(B + '/page/7', timeout=5) as r:
                print(r.status, r.reason, r.headers['Content-Type'], r.headers['content-length'], repr(json.loads(r.read())))
            for path in ['/missing', '/page/51', '/page/x']:
                try:
                    urllib.request.urlopen(B + path, timeout=5)
                except urllib.error.HTTPError as e:
                    print(type(e).__name__, e.code, e.reason, str(e), e.read(), isinstance(e, urllib.error.URLError))
            try:
                urllib.request.urlopen(B + '/slow', timeout=0.5)
            except TimeoutError as e:
                print(type(e).__name__, str(e))
            try:
                urllib.request.urlopen('http://localhost:\(refused)/page/1', timeout=5)
            except urllib.error.URLError as e:
                print(type(e).__name__, str(e))
            """
        let expected = try PythonReference.lines(script)
        var actual: [String] = []
        try urllib.request.urlopen("\(base)/page/7", timeout: 5) { r in
            actual.append(
                "\(r.status) \(r.reason) \(r.headers["Content-Type"] ?? "-") \(r.headers["content-length"] ?? "-") "
                    + (try json.loads(r.read())).repr)
        }
        for path in ["/missing", "/page/51", "/page/x"] {
            do {
                _ = try urllib.request.urlopen(base + path, timeout: 5)
            } catch let e as urllib.error.HTTPError {
                actual.append(
                    "\(e.pythonName) \(e.code) \(e.reason) \(e.pythonMessage) \(bytesRepr(try e.read())) "
                        + "\((e as urllib.error.URLError) === e ? "True" : "False")")
            }
        }
        let start = time.perfCounter()
        do {
            _ = try urllib.request.urlopen(base + "/slow", timeout: 0.5)
        } catch let e as builtins.TimeoutError {
            actual.append("\(e.pythonName) \(e.pythonMessage)")
        }
        XCTAssertLessThan(time.perfCounter() - start, 1.5, "the 0.5 s timeout was not honoured")
        do {
            _ = try urllib.request.urlopen("http://localhost:\(refused)/page/1", timeout: 5)
        } catch let e as urllib.error.URLError {
            actual.append("\(e.pythonName) \(e.pythonMessage)")
        }
        XCTAssertEqual(actual, expected)
    }

    /// Documents read by `json.loads` and written back by `json.dumps` (plain, indented,
    /// sorted), and documents both reject, with the same message.
    func testJSONMatchesCPython() throws {
        let documents = [
            #"{"page": 1, "words": 107}"#,
            #"[1, 2.5, -0.0, 1e100, 1E-7, 0.1, true, false, null, "a\u00e9\ud83d\ude00\n\"q\"\\ \/"]"#,
            #"{"b": 1, "a": {"c": [], "d": {}}, "b": 2}"#, "  \"x\"  ", "NaN", "[Infinity, -Infinity]", "{}",
            "\"caf\u{e9} \u{4e2d} \u{1F600}\"", "12345678901234", "\t[ 1 ,\n 2 ]\r\n",
        ]
        let bad = [
            "", "{", "[1,]", #"{"a" 1}"#, #"{"a": 1,}"#, "[1 2]", #""abc"#, "1 2", "{1: 2}", #""a\qb""#,
            "\n\n  [x]", #""\u12""#, "-", "\"tab\there\"", "[", "01", "[1.]", "tru",
        ]
        let encoded = String(decoding: try JSONSerialization.data(withJSONObject: [documents, bad]), as: UTF8.self)
        let script = """
            import json
            good, bad = json.loads(\(PyValue.str(encoded).repr))
            for doc in good:
                v = json.loads(doc)
                print(repr(v), '|', json.dumps(v), '|', json.dumps(v, indent=2, sort_keys=True).replace('\\n', '/'))
            for doc in bad:
                try:
                    json.loads(doc)
                except json.JSONDecodeError as e:
                    print('JSONDecodeError', e)
            """
        let expected = try PythonReference.lines(script)
        var actual: [String] = []
        for document in documents {
            let value = try json.loads(document)
            let indented = try json.dumps(value, indent: 2, sortKeys: true).replacingOccurrences(of: "\n", with: "/")
            actual.append("\(value.repr) | \(try json.dumps(value)) | \(indented)")
        }
        for document in bad {
            do {
                _ = try json.loads(document)
                actual.append("parsed \(document)")
            } catch let e as json.JSONDecodeError {
                actual.append("JSONDecodeError \(e.pythonMessage)")
            }
        }
        XCTAssertEqual(actual.count, expected.count)
        for (mine, theirs) in zip(actual, expected) { XCTAssertEqual(mine, theirs) }
    }

    /// Twelve threads fetching at once take about one page's time, not twelve: each wait on
    /// the socket releases the GIL (the lesson of 07-io).
    func testNetworkWaitsReleaseTheGIL() throws {
        let interpreter = PyInterpreter()
        let base = base
        let elapsed = try interpreter.run { () -> Double in
            let start = time.perfCounter()
            let threads = (1...12).map { n in
                threading.Thread {
                    _ = try? urllib.request.urlopen("\(base)/page/\(n)", timeout: 5) { try $0.read() }
                }
            }
            for t in threads { t.start() }
            for t in threads { t.join() }
            return time.perfCounter() - start
        }
        XCTAssertLessThan(elapsed, 0.9, "twelve 0.1 s pages took \(elapsed) s: the waits kept the GIL")
    }
}
