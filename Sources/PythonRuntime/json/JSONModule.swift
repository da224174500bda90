import PythonRepr

/// Python's `json`: `loads` into a `PyValue` and `dumps` in the text Python writes.
public enum json {
    /// `json.JSONDecodeError`: `str(e)` is `MSG: line L column C (char P)`, as CPython's.
    /// A `ValueError`, as in Python.
    public final class JSONDecodeError: builtins.ValueError, @unchecked Sendable {
        /// `e.msg`, e.g. `Expecting value`.
        public let msg: String
        /// `e.pos`: the character offset.
        public let pos: Int
        /// `e.lineno`: the line, from 1.
        public let lineno: Int
        /// `e.colno`: the column, from 1.
        public let colno: Int

        /// `JSONDecodeError(msg, doc, pos)` at `lineno`, `colno`.
        public init(msg: String, pos: Int, lineno: Int, colno: Int) {
            (self.msg, self.pos, self.lineno, self.colno) = (msg, pos, lineno, colno)
            super.init("\(msg): line \(lineno) column \(colno) (char \(pos))")
        }

        /// The error whose `str()` is `message` (`MSG: line L column C (char P)`), as a
        /// worker process sends it back; a message of another form keeps it as `msg`.
        convenience init(reading message: String) {
            let parts = message.components(separatedBy: ": line ")
            let numbers = (parts.last ?? "").split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard parts.count >= 2, numbers.count == 3 else {
                self.init(msg: message, pos: 0, lineno: 1, colno: 1)
                return
            }
            let msg = parts.dropLast().joined(separator: ": line ")
            self.init(msg: msg, pos: numbers[2], lineno: numbers[0], colno: numbers[1])
        }
    }

    /// `json.loads(text)`: objects become dicts in the order written (a repeated key keeps
    /// its first place and last value, as a Python dict does), numbers with a fraction or
    /// exponent floats, others ints; `NaN`, `Infinity` and `-Infinity` are accepted, as Python
    /// accepts them. An int beyond 64 bits is a `ValueError` (`PyValue.int` is 64-bit).
    public static func loads(_ text: String) throws -> PyValue {
        var parser = JSONParser(Array(text.unicodeScalars))
        return try parser.document()
    }

    /// `json.loads(data)` for bytes (`reply.read()`), decoded as UTF-8 (a BOM is an error,
    /// as in Python).
    public static func loads(_ data: [UInt8]) throws -> PyValue {
        try loads(String(decoding: data, as: UTF8.self))
    }

    /// `json.dumps(value)`: `{"page": 1, "words": 107}`, separators `, ` and `: `, non-ASCII
    /// escaped (`ensure_ascii`), floats as `repr`, `NaN`/`Infinity`, tuples as lists, and
    /// `indent`/`sort_keys` as Python's. Keys that are not strings are written as Python
    /// writes them (`1` -> `"1"`, `True` -> `"true"`, `None` -> `"null"`).
    /// - Throws: CPython's `TypeError` (`Object of type set is not JSON serializable`) for
    ///   bytes, sets and frozensets.
    public static func dumps(_ value: PyValue, indent: Int? = nil, sortKeys: Bool = false) throws -> String {
        var out = ""
        try write(value, into: &out, indent: indent, level: 0, sortKeys: sortKeys)
        return out
    }

    private static func write(
        _ value: PyValue, into out: inout String, indent: Int?, level: Int, sortKeys: Bool
    ) throws {
        switch value {
        case .none: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number): out += String(number)
        case .bigInt(let number): out += number.description
        case .float(let number): out += floatText(number)
        case .str(let text): out += quoted(text)
        case .bytes: throw notSerializable("bytes")
        case .set: throw notSerializable("set")
        case .frozenset: throw notSerializable("frozenset")
        case .list(let items), .tuple(let items):
            try container("[", "]", items.count, into: &out, indent: indent, level: level) { index, out in
                try write(items[index], into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
        case .dict(let entries):
            let keyed = entries.map { (key: keyText($0.key), value: $0.value) }
            let ordered =
                sortKeys
                ? keyed.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) } : keyed
            try container("{", "}", ordered.count, into: &out, indent: indent, level: level) { index, out in
                out += quoted(ordered[index].key) + ": "
                try write(ordered[index].value, into: &out, indent: indent, level: level + 1, sortKeys: sortKeys)
            }
        }
    }

    /// CPython's `TypeError` for a value JSON has no form for.
    private static func notSerializable(_ type: String) -> builtins.TypeError {
        builtins.TypeError("Object of type \(type) is not JSON serializable")
    }

    /// `[a, b]` on one line, or one item per line under `indent`; empty ones as `[]`.
    private static func container(
        _ open: String, _ close: String, _ count: Int, into out: inout String, indent: Int?, level: Int,
        item: (Int, inout String) throws -> Void
    ) rethrows {
        out += open
        guard count > 0 else { return out += close }
        let inner = indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        for index in 0..<count {
            if index > 0 { out += indent == nil ? ", " : "," }
            if let inner { out += inner }
            try item(index, &out)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
        out += close
    }

    private static func floatText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return PythonFloat.pythonRepr(number)
    }

    private static func keyText(_ key: PyValue) -> String {
        switch key {
        case .str(let text): text
        case .none: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .float(let number): floatText(number)
        default: key.repr  // Python raises TypeError; a port never builds such a dict
        }
    }

    /// A JSON string with `ensure_ascii`: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other
    /// controls and every non-ASCII character as `\u00XX` (surrogate pairs above U+FFFF).
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
