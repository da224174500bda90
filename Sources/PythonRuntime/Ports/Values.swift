import BigInt
import PythonRepr

/// A Python value a cell ends with, shown as the cell's `Out[n]` (an `execute_result` whose
/// `text/plain` is the value's `repr`, as IPython's displayhook writes it). `.none` shows
/// nothing, as IPython shows nothing for `None`.
///
/// The literals read like the Python: `return ["a": 700, "b": 1300]` is the dict
/// `{'a': 700, 'b': 1300}` (insertion order kept), `[1, 2]` a list, `.tuple([2000, false])`
/// a tuple.
///
/// Keys of a dict and elements of a set are equal as Python compares them: `1`, `True` and
/// `1.0` are one key (`{1: 'x', True: 'y', 1.0: 'z'}` is `{1: 'z'}`: the first key, the last
/// value). A set's `repr` keeps the order its elements are given in (write them in the
/// order CPython iterates them); `pretty` sorts them, as IPython does.
public indirect enum PyValue: Sendable, Equatable {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// `int` (within 64 bits).
    case int(Int)
    /// `int` beyond 64 bits (`PyValue.integer(_:)` picks `.int` when it fits).
    case bigInt(BigInt)
    /// `float`.
    case float(Double)
    /// `str`.
    case str(String)
    /// `list`.
    case list([PyValue])
    /// `tuple`.
    case tuple([PyValue])
    /// `dict`, in insertion order.
    case dict([(key: PyValue, value: PyValue)])
    /// `bytes`.
    case bytes([UInt8])
    /// `set`, its elements in iteration order.
    case set([PyValue])
    /// `frozenset`, its elements in iteration order.
    case frozenset([PyValue])

    /// A Python `int` of any size: `.int` within 64 bits, else `.bigInt`.
    public static func integer(_ value: BigInt) -> PyValue {
        Int(exactly: value).map { .int($0) } ?? .bigInt(value)
    }

    /// Python's `repr(value)`: `'it\'s'` is `"it's"`, `(1,)`, `{'a': 1}`, `0.1`, `True`.
    public var repr: String {
        switch self {
        case .none: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .bigInt(let number): number.description
        case .float(let number): PythonFloat.pythonRepr(number)
        case .str(let text): Self.strRepr(text)
        case .bytes(let bytes): Self.bytesRepr(bytes)
        case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .tuple(let items):
            items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .dict(let entries):
            "{" + Self.merged(entries).map { "\($0.key.repr): \($0.value.repr)" }.joined(separator: ", ") + "}"
        case .set(let items):
            items.isEmpty ? "set()" : "{" + Self.distinct(items).map(\.repr).joined(separator: ", ") + "}"
        case .frozenset(let items):
            items.isEmpty
                ? "frozenset()" : "frozenset({" + Self.distinct(items).map(\.repr).joined(separator: ", ") + "})"
        }
    }

    /// Python's `==`: `1 == 1.0 == True`.
    public static func == (lhs: PyValue, rhs: PyValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.bigInt(a), .bigInt(b)): a == b
        case let (.int(a), .bigInt(b)), let (.bigInt(b), .int(a)): BigInt(a) == b
        case let (.bytes(a), .bytes(b)): a == b
        case let (.set(a), .set(b)), let (.frozenset(a), .frozenset(b)): distinct(a) == distinct(b)
        case let (.float(a), .float(b)): a == b
        case let (.str(a), .str(b)): a == b
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)): a == b
        case let (.dict(a), .dict(b)):
            merged(a).count == merged(b).count
                && zip(merged(a), merged(b)).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// CPython's `unicode_repr`: single quotes unless the text has a `'` and no `"`; the
    /// quote and `\` escaped; `\t`, `\n`, `\r`; other control characters and unprintable
    /// characters as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`; printable non-ASCII kept.
    static func strRepr(_ text: String) -> String {
        let scalars = text.unicodeScalars
        let quote: Unicode.Scalar = scalars.contains("'") && !scalars.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in scalars {
            switch scalar {
            case quote, "\\": result += "\\" + String(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.isASCII || PythonUnicode.isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value <= 0xFF {
                    result += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value <= 0xFFFF {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else {
                    result += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        result.unicodeScalars.append(quote)
        return result
    }

    /// CPython's `bytes_repr`: `b'...'`, quoted as a str is; `\t`, `\n`, `\r`, and every
    /// byte outside printable ASCII as `\xhh`.
    static func bytesRepr(_ bytes: [UInt8]) -> String {
        let quote: UInt8 = bytes.contains(UInt8(ascii: "'")) && !bytes.contains(UInt8(ascii: "\"")) ? 0x22 : 0x27
        var result = "b" + String(UnicodeScalar(quote))
        for byte in bytes {
            switch byte {
            case quote, UInt8(ascii: "\\"): result += "\\" + String(UnicodeScalar(byte))
            case UInt8(ascii: "\t"): result += "\\t"
            case UInt8(ascii: "\n"): result += "\\n"
            case UInt8(ascii: "\r"): result += "\\r"
            case 0x20..<0x7F: result.unicodeScalars.append(UnicodeScalar(byte))
            default: result += "\\x" + hex(UInt32(byte), width: 2)
            }
        }
        return result + String(UnicodeScalar(quote))
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension PyValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// An `int`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A `float`.
    public init(floatLiteral value: Double) { self = .float(value) }
    /// A `bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A `str`.
    public init(stringLiteral value: String) { self = .str(value) }
    /// A `list`.
    public init(arrayLiteral elements: PyValue...) { self = .list(elements) }
    /// A `dict`, in the order written.
    public init(dictionaryLiteral elements: (PyValue, PyValue)...) {
        self = .dict(Self.merged(elements.map { (key: $0.0, value: $0.1) }))
    }
}
