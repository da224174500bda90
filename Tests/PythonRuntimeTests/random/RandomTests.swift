import PythonRepr
import PythonRuntime
import TestKit
import XCTest

/// `random` draws what CPython 3.11 draws for the same seed: every function, over hundreds of
/// seeds (small, negative, beyond 64 bits, strings), compared with the real `python3`.
final class RandomTests: XCTestCase {
    /// The seeds, written in Python and built in Swift.
    static let seeds: [(python: String, make: @Sendable () -> random.Random)] = {
        var seeds: [(String, @Sendable () -> random.Random)] = (-60..<260).map { n in ("\(n)", { random.Random(n) }) }
        let big = [
            "2**32", "2**32 - 1", "2**63", "-2**63", "2**64 - 1", "2**64", "-(2**64) - 5", "3**90",
            "-(7**60)", "2**200 + 12345",
        ]
        for text in big {
            seeds.append((text, { random.Random(RandomTests.bigInt(text)) }))
        }
        for text in ["", "a", "hello", "日本語 é", String(repeating: "seed", count: 40)] {
            seeds.append(("'\(text)'", { random.Random(text) }))
        }
        for (text, value) in [
            ("1.5", 1.5), ("-2.25", -2.25), ("2.0", 2.0), ("1e300", 1e300), ("-1e-300", -1e-300),
            ("3.141592653589793", Double.pi),
            ("float('inf')", .infinity), ("float('-inf')", -.infinity), ("-0.0", -0.0), ("-1.0", -1.0),
        ] {
            seeds.append((text, { random.Random(value) }))
        }
        seeds.append((String(Int.max), { random.Random(Int.max) }))
        seeds.append((String(Int.min), { random.Random(Int.min) }))
        return seeds
    }()

    /// `2**a + b`, `-(x**y) - b`... evaluated with BigInt, for the few forms `seeds` uses.
    static func bigInt(_ text: String) -> BigInt {
        let values: [String: BigInt] = [
            "2**32": BigInt(1) << 32, "2**32 - 1": (BigInt(1) << 32) - 1, "2**63": BigInt(1) << 63,
            "-2**63": -(BigInt(1) << 63), "2**64 - 1": (BigInt(1) << 64) - 1, "2**64": BigInt(1) << 64,
            "-(2**64) - 5": -(BigInt(1) << 64) - 5, "3**90": BigInt(3).power(90), "-(7**60)": -BigInt(7).power(60),
            "2**200 + 12345": (BigInt(1) << 200) + 12345,
        ]
        return values[text] ?? 0
    }

    /// One line per seed: what each function draws, in one fixed order, from one instance.
    static let pythonDraws = """
        def draws(r):
            out = [repr(r.random())]
            out += [r.getrandbits(k) for k in (0, 1, 7, 31, 32, 33, 63, 64, 65, 100)]
            out += [r.randrange(10), r.randrange(1), r.randrange(-5, 1000), r.randrange(0, 100, 7),
                    r.randrange(50, -50, -3), r.randint(1, 6), r.randint(-2**40, 2**40), r.randrange(2**62 + 12345),
                    r.randint(-2**63, 2**63 - 1), r.randrange(-2**63, 2**63 - 1, 3), r.randint(-2**100, 2**100),
                    r.randrange(3**50, 3**60, 7**5)]
            out += [r.choice('abcdefg'), r.choice(range(1000))]
            x = list(range(20)); r.shuffle(x); out.append(x)
            out += [r.sample(range(30), 5), r.sample(range(100), 10), r.sample(range(10**6), 60), r.sample(range(7), 7)]
            out.append(r.choices(['a', 'b', 'c'], k=5))
            out += [repr(r.uniform(-3.5, 2.25)), repr(r.gauss()), repr(r.gauss(10, 2)), repr(r.gauss()),
                    repr(r.expovariate(1.5))]
            out += [repr(r.triangular()), repr(r.triangular(1, 10, 3)), repr(r.triangular(2, 2)),
                    repr(r.normalvariate()), repr(r.normalvariate(5, 0.5))]
            out += [r.choices('xyz', [1, 0, 3], k=4), r.choices(range(5), cum_weights=[1, 1, 2, 10, 10.5], k=3),
                    list(r.randbytes(5)), list(r.randbytes(0))]
            return ' '.join(str(o).replace(' ', '') for o in out)
        """

    static func swiftDraws(_ r: random.Random) throws -> String {
        func list(_ items: [some Any]) -> String { "[" + items.map { "\($0)" }.joined(separator: ",") + "]" }
        var out = [PythonFloat.pythonRepr(r.random())]
        out += try [0, 1, 7, 31, 32, 33, 63, 64, 65, 100].map { try r.getrandbits($0).description }
        out += try [
            r.randrange(10), r.randrange(1), r.randrange(-5, 1000), r.randrange(0, 100, 7), r.randrange(50, -50, -3),
            r.randint(1, 6), r.randint(-(1 << 40), 1 << 40), r.randrange((1 << 62) + 12345), r.randint(.min, .max),
            r.randrange(.min, .max, 3),
        ].map(String.init)
        out += try [
            r.randint(-(BigInt(1) << 100), BigInt(1) << 100),
            r.randrange(BigInt(3).power(50), BigInt(3).power(60), 16807),
        ]
        .map(\.description)
        out.append(try String(r.choice(Array("abcdefg"))))
        out.append(try String(r.choice(0..<1000)))
        var x = Array(0..<20)
        r.shuffle(&x)
        out.append(list(x))
        out += try [
            r.sample(0..<30, k: 5), r.sample(0..<100, k: 10), r.sample(0..<1_000_000, k: 60), r.sample(0..<7, k: 7),
        ]
        .map(list)
        out.append("[" + (try r.choices(["a", "b", "c"], k: 5)).map { "'\($0)'" }.joined(separator: ",") + "]")
        out += [r.uniform(-3.5, 2.25), r.gauss(), r.gauss(10, 2), r.gauss(), r.expovariate(1.5)]
            .map(PythonFloat.pythonRepr)
        out += [
            r.triangular(), r.triangular(1, 10, mode: 3), r.triangular(2, 2), r.normalvariate(),
            r.normalvariate(5, 0.5),
        ]
        .map(PythonFloat.pythonRepr)
        out.append(
            "[" + (try r.choices(Array("xyz"), weights: [1, 0, 3], k: 4)).map { "'\($0)'" }.joined(separator: ",") + "]"
        )
        out.append(list(try r.choices(0..<5, cumWeights: [1, 1, 2, 10, 10.5], k: 3)))
        out.append(list(try r.randbytes(5)))
        out.append(list(try r.randbytes(0)))
        return out.joined(separator: " ")
    }

    func testEveryFunctionDrawsWhatCPythonDrawsForHundredsOfSeeds() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let script =
            "import random\n" + Self.pythonDraws + "\nfor s in [" + Self.seeds.map(\.python).joined(separator: ", ")
            + "]:\n    print(draws(random.Random(s)))\n"
        let expected = try PythonReference.lines(script)
        XCTAssertEqual(expected.count, Self.seeds.count)
        for (seed, line) in zip(Self.seeds, expected) {
            XCTAssertEqual(try Self.swiftDraws(seed.make()), line, "seed \(seed.python)")
        }
    }

    func testModuleFunctionsShareOneInstanceAndSeedResetsGauss() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let expected = try PythonReference.lines(
            """
            import random
            random.seed(7); a = random.gauss(); random.seed(7); print(repr(a), repr(random.gauss()), repr(random.gauss()))
            random.seed(-7); print(random.randint(1, 100), random.randrange(3, 30, 4), random.choice([10, 20, 30]))
            x = list('abcdef'); random.shuffle(x); print(x, random.sample(range(50), 4), repr(random.random()))
            random.seed('course'); print(repr(random.uniform(1, 2)), random.getrandbits(70))
            """)
        let ctx = DemoContext(seed: 1)
        let lines: [String] = try ctx.interpreter.run {
            random.seed(7)
            let a = random.gauss()
            random.seed(7)
            var lines = [[a, random.gauss(), random.gauss()].map(PythonFloat.pythonRepr).joined(separator: " ")]
            random.seed(-7)
            lines.append(
                "\(try random.randint(1, 100)) \(try random.randrange(3, 30, 4)) \(try random.choice([10, 20, 30]))")
            var x = Array("abcdef").map(String.init)
            random.shuffle(&x)
            let shuffled = "[" + x.map { "'\($0)'" }.joined(separator: ", ") + "]"
            let picked = "[" + (try random.sample(0..<50, k: 4)).map(String.init).joined(separator: ", ") + "]"
            lines.append("\(shuffled) \(picked) \(PythonFloat.pythonRepr(random.random()))")
            random.seed("course")
            lines.append("\(PythonFloat.pythonRepr(random.uniform(1, 2))) \(try random.getrandbits(70))")
            return lines
        }
        XCTAssertEqual(lines, expected)
    }

    func testErrorsAreCPythons() throws {
        guard PythonReference.executable != nil else { throw XCTSkip("no python3") }
        let calls: [(String, (random.Random) throws -> Any)] = [
            ("r.randrange(0)", { try $0.randrange(0) }), ("r.randrange(5, 5)", { try $0.randrange(5, 5) }),
            ("r.randrange(9, 2)", { try $0.randrange(9, 2) }),
            ("r.randrange(0, 10, 0)", { try $0.randrange(0, 10, 0) }),
            ("r.randrange(0, 10, -1)", { try $0.randrange(0, 10, -1) }), ("r.randint(3, 2)", { try $0.randint(3, 2) }),
            ("r.choice([])", { try $0.choice([Int]()) }), ("r.sample(range(3), 4)", { try $0.sample(0..<3, k: 4) }),
            ("r.sample(range(3), -1)", { try $0.sample(0..<3, k: -1) }),
            ("r.getrandbits(-1)", { try $0.getrandbits(-1) }),
            ("r.randbytes(-1)", { try $0.randbytes(-1) }),
            ("r.choices('ab', [1], k=2)", { try $0.choices(Array("ab"), weights: [1], k: 2) }),
            (
                "r.choices('ab', [1, 1], cum_weights=[1, 2])",
                { try $0.choices(Array("ab"), weights: [1, 1], cumWeights: [1, 2]) }
            ),
            ("r.choices('ab', [0, 0])", { try $0.choices(Array("ab"), weights: [0, 0]) }),
            ("r.choices('ab', [1, float('inf')])", { try $0.choices(Array("ab"), weights: [1, .infinity]) }),
        ]
        let script =
            "import random\nr = random.Random(1)\n"
            + calls.map { "try:\n    \($0.0)\nexcept Exception as e:\n    print(type(e).__name__ + ': ' + str(e))" }
            .joined(separator: "\n")
        let expected = try PythonReference.lines(script)
        XCTAssertEqual(expected.count, calls.count)
        let r = random.Random(1)
        for ((python, call), line) in zip(calls, expected) {
            XCTAssertThrowsError(try call(r), python) { error in
                XCTAssertEqual("\(pythonExceptionName(of: error)): \(pythonExceptionMessage(of: error))", line, python)
            }
        }
    }

    /// Unseeded, the module's instance draws from the cell's generator: the same `--seed` gives
    /// the same numbers, another gives others; a session's cells share one instance.
    func testUnseededDrawsFollowTheCellsSeed() {
        func draws(_ seed: UInt64) -> [Int] {
            let ctx = DemoContext(seed: seed)
            return ctx.interpreter.run { (0..<8).map { _ in (try? random.randint(1, 1000)) ?? 0 } }
        }
        XCTAssertEqual(draws(11), draws(11))
        XCTAssertNotEqual(draws(11), draws(12))
        let ctx = DemoContext(seed: 3)
        ctx.beginCell(seed: 3)
        ctx.interpreter.run { random.seed(99) }
        ctx.beginCell(seed: 4)
        let next = ctx.interpreter.run { random.random() }
        XCTAssertEqual(next, random.Random(99).random(), "the seed of an earlier cell holds in the next")
    }
}
