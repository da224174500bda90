import PythonRuntime
import TestKit
import XCTest

/// A cell's value is shown as Python's `repr`: every case here is compared with what the
/// real `python3` prints for the same Python value, not with strings typed by hand.
final class ValueReprTests: XCTestCase {
    /// (the port's value, the same value written in Python)
    static let cases: [(PyValue, String)] = [
        (.none, "None"), (true, "True"), (false, "False"),
        (0, "0"), (-42, "-42"), (.int(Int.max), "9223372036854775807"), (.int(Int.min), "-9223372036854775808"),
        (0.1, "0.1"), (-0.0, "-0.0"), (1e16, "1e16"), (1e-5, "1e-5"), (123456789.125, "123456789.125"),
        (2.0, "2.0"), (.float(.nan), "float('nan')"), (.float(.infinity), "float('inf')"),
        (.float(-.infinity), "float('-inf')"), (.float(0.1 + 0.2), "0.1 + 0.2"),
        ("", "''"), ("plain", "'plain'"), ("it's", #""it's""#), (#"say "hi""#, #"'say \"hi\"'"#),
        (#"both ' and ""#, #"'both \' and \"'"#), ("back\\slash", #"'back\\slash'"#),
        ("tab\tnew\nret\r", #"'tab\tnew\nret\r'"#), ("\u{0}\u{1}\u{1F}\u{7F}", #"'\x00\x01\x1f\x7f'"#),
        ("é ü ß 日本 😀", "'é ü ß 日本 😀'"), ("\u{A0}\u{AD}\u{200B}", #"'\xa0\xad\u200b'"#),
        ("\u{2028}\u{E000}\u{10FFFF}", #"'\u2028\ue000\U0010ffff'"#), ("\u{85}\u{9F}", #"'\x85\x9f'"#),
        ([], "[]"), ([1, "a", 2.5, .none], "[1, 'a', 2.5, None]"),
        (.tuple([]), "()"), (.tuple([1]), "(1,)"), (.tuple([2000, false, false]), "(2000, False, False)"),
        ([:], "{}"), (["a": 700, "b": 1300], "{'a': 700, 'b': 1300}"),
        (["b": 1, "a": 2], "{'b': 1, 'a': 2}"), ([1: "x", .tuple([1, 2]): [true]], "{1: 'x', (1, 2): [True]}"),
        ([.list([.tuple([.list([])])]), ["k": ["n": .tuple([1])]]], "[[([],)], {'k': {'n': (1,)}}]"),
        (["W0", "W1", "W2"], "['W0', 'W1', 'W2']"),
        // ints beyond 64 bits
        (.bigInt(BigInt(1) << 100), "2**100"), (.integer(-BigInt(3).power(50)), "-3**50"),
        (.integer(BigInt(Int.max) + 1), "2**63"), (.integer(BigInt(Int.min)), "-2**63"),
        // bytes
        (.bytes([]), "b''"), (.bytes(Array("it's".utf8)), #"b"it's""#), (.bytes(Array(#"'"\"#.utf8)), #"b'\'\"\\'"#),
        (
            .bytes([0, 9, 10, 13, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xFF, 0x41]),
            "bytes([0, 9, 10, 13, 31, 32, 126, 127, 128, 255, 65])"
        ),
        // sets, in the order CPython iterates them; equal elements kept once
        (.set([]), "set()"), (.frozenset([]), "frozenset()"), (.set([1, 2, 3]), "{3, 1, 2}"),
        (.frozenset([1, 2]), "frozenset({2, 1})"), (.set([1, true, 1.0, 2]), "{1, True, 1.0, 2}"),
        (.set([.tuple([1, 2]), .tuple([true, 2.0])]), "{(1, 2), (True, 2.0)}"),
        // dict keys equal as Python compares them: the first key, the last value
        ([1: "x", true: "y", 1.0: "z"], "{1: 'x', True: 'y', 1.0: 'z'}"),
        (.dict([(key: 2.0, value: 1), (key: 2, value: 3), (key: "2", value: 4)]), "{2.0: 1, 2: 3, '2': 4}"),
        (
            .dict([(key: .frozenset([1, 2]), value: 1), (key: .frozenset([2, 1]), value: 2)]),
            "{frozenset({1, 2}): 1, frozenset({2, 1}): 2}"
        ),
        (.dict([(key: .float(.nan), value: 1), (key: .float(.nan), value: 2)]), "{float('nan'): 1, float('nan'): 2}"),
        // str by CPython 3.11's Unicode 14 tables: characters assigned later are escaped
        ("\u{1FAE8} \u{0CF3} \u{31350} \u{1F600}", #"'\U0001fae8 \u0cf3 \U00031350 \U0001f600'"#),
    ]

    func testReprMatchesCPython() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let script = Self.cases.map { "print(repr(\($0.1)))" }.joined(separator: "\n")
        let expected = try PythonReference.lines(script)
        XCTAssertEqual(expected.count, Self.cases.count)
        for ((value, python), line) in zip(Self.cases, expected) {
            XCTAssertEqual(value.repr, line, "repr(\(python))")
        }
    }

    func testLiteralsBuildThePythonValues() {
        XCTAssertEqual(["a": 1] as PyValue, .dict([(key: .str("a"), value: .int(1))]))
        XCTAssertEqual([1, 2] as PyValue, .list([.int(1), .int(2)]))
        XCTAssertNotEqual(PyValue.list([1]), .tuple([1]))
        XCTAssertNotEqual(["a": 1, "b": 2] as PyValue, ["b": 2, "a": 1] as PyValue)
    }
}

/// A session's context captures cell by cell: what is written goes to the cell running at
/// that moment, and what is written while no cell runs is dropped, as nbclient drops it.
final class SessionCaptureTests: XCTestCase {
    func testWritesGoToTheRunningCellAndNowhereBetweenCells() {
        let ctx = DemoContext(seed: 1)
        ctx.beginCell(seed: 1)
        ctx.print("one")
        ctx.print("two")
        ctx.recordValue(.none)
        ctx.recordValue(["a": 1])
        XCTAssertEqual(ctx.endCell(), [.stream(.stdout, "one\ntwo\n"), .value(["a": 1])])
        ctx.print("between cells")
        ctx.display(DisplayData(plain: "between"))
        ctx.beginCell(seed: 2)
        ctx.printError("err")
        ctx.display(DisplayData(plain: "<HTML object>", html: "<b>x</b>"))
        ctx.print("three")
        XCTAssertEqual(
            ctx.endCell(),
            [
                .stream(.stderr, "err\n"), .display(DisplayData(plain: "<HTML object>", html: "<b>x</b>")),
                .stream(.stdout, "three\n"),
            ])
        XCTAssertEqual(ctx.endCell(), [], "nothing after the cell ended")
    }

    func testEachCellDrawsFromItsOwnSeed() {
        let ctx = DemoContext(seed: 1)
        ctx.beginCell(seed: 7)
        let first = ctx.random()
        ctx.beginCell(seed: 7)
        XCTAssertEqual(ctx.random(), first)
    }
}

/// `Out[n]` is what IPython's pretty printer writes: `repr` within 79 columns, lines broken
/// beyond. Checked against the real `IPython.lib.pretty` when the python3 in use has IPython
/// (`NBRUN_PYTHON` pointing at a venv with ipykernel), and always against lines IPython 9.18
/// wrote for a cell of the same value under nbclient.
final class PrettyValueTests: XCTestCase {
    static func ints(_ range: Range<Int>) -> PyValue { .list(range.map { .int($0) }) }

    static let cases: [(PyValue, String)] = [
        (ints(0..<12), "list(range(12))"), (ints(0..<30), "list(range(30))"), (ints(0..<1001), "list(range(1001))"),
        (
            .list([ints(0..<30), ["a": .str(String(repeating: "x", count: 70)), "b": .tuple([1])]]),
            "[list(range(30)), {'a': 'x'*70, 'b': (1,)}]"
        ),
        (.tuple([.str(String(repeating: "q", count: 90))]), "('q'*90,)"),
        (
            .dict((0..<12).map { (key: .str("key\($0)"), value: .list([.int($0), .float(Double($0) / 4)])) }),
            "{f'key{i}': [i, i / 4] for i in range(12)}"
        ),
        (
            .list((0..<6).map { i in .list((0..<(i * 4)).map { .str("é\($0)") }) }),
            "[[f'é{j}' for j in range(i * 4)] for i in range(6)]"
        ),
        (
            .tuple((0..<20).map { .tuple([.int($0), .bool($0 % 2 == 0), .none]) }),
            "tuple((i, i % 2 == 0, None) for i in range(20))"
        ),
        (["x": ["y": ["z": ints(0..<25)]]], "{'x': {'y': {'z': list(range(25))}}}"),
        // sets sorted as IPython sorts them, broken under their opening bracket
        (.set((0..<40).reversed().map { .int($0) }), "set(range(40))"), (.set([]), "set()"),
        (.frozenset([]), "frozenset()"),
        (.set(["b", "a", "C", "é"]), "{'b', 'a', 'C', 'é'}"),
        (.set([3, 1.5, true, .bigInt(BigInt(1) << 70)]), "{3, 1.5, True, 2**70}"),
        (.set([1, "a", 2.5]), "{1, 'a', 2.5}"),
        (.set([.tuple([2, "b"]), .tuple([1, "z"]), .tuple([1, "a"])]), "{(2, 'b'), (1, 'z'), (1, 'a')}"),
        (
            .frozenset((0..<10).map { .str("item-\($0)-" + String(repeating: "x", count: 10)) }),
            "frozenset(f'item-{i}-' + 'x'*10 for i in range(10))"
        ),
        (.list([.set([2, 1]), .frozenset([.bytes([0x62]), .bytes([0x61])])]), "[{2, 1}, frozenset({b'b', b'a'})]"),
        (
            .dict([(key: 1, value: .set((0..<30).map { .int($0) })), (key: true, value: "t")]),
            "{1: set(range(30)), True: 't'}"
        ),
        (.list([.bigInt(BigInt(7).power(40)), .bigInt(-BigInt(7).power(41))]), "[7**40, -7**41]"),
    ]

    func testPrettyMatchesIPython() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let probe = try PythonReference.run(
            "try:\n import IPython.lib.pretty\n print('yes')\nexcept ImportError:\n print('no')")
        guard probe.hasPrefix("yes") else { throw XCTSkip("IPython is not installed in this python3") }
        let script =
            "from IPython.lib.pretty import pretty\n"
            + Self.cases.map { "print(repr(pretty(\($0.1))))" }.joined(separator: "\n")
        let expected = try PythonReference.lines(script)
        XCTAssertEqual(expected.count, Self.cases.count)
        for ((value, python), line) in zip(Self.cases, expected) {
            XCTAssertEqual(PyValue.str(value.pretty).repr, line, "pretty(\(python))")
        }
    }

    /// IPython 9.18.1's `Out[4]` for `[list(range(30)), {'a': 'x'*70, 'b': (1,)}, ('q'*90,)]`
    /// under nbclient 0.11 (the `text/plain` lines nbformat wrote).
    func testPrettyMatchesAnIPythonRun() {
        let value: PyValue = .list([
            Self.ints(0..<30), ["a": .str(String(repeating: "x", count: 70)), "b": .tuple([1])],
            .tuple([.str(String(repeating: "q", count: 90))]),
        ])
        let expected =
            "[[0,\n" + (1..<29).map { "  \($0),\n" }.joined() + "  29],\n"
            + " {'a': '\(String(repeating: "x", count: 70))',\n  'b': (1,)},\n"
            + " ('\(String(repeating: "q", count: 90))',)]"
        XCTAssertEqual(value.pretty, expected)
        XCTAssertEqual(Self.ints(0..<12).pretty, Self.ints(0..<12).repr, "within 79 columns: repr")
    }
}
