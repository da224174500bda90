import Foundation
import Futures

/// CPython's `json` scanner over the characters of a str: the same values, and the same
/// `JSONDecodeError` messages at the same character offsets.
struct JSONParser {
    private let text: [Unicode.Scalar]
    private var index = 0

    init(_ text: [Unicode.Scalar]) {
        self.text = text
    }

    /// `json.loads`: one value, surrounded by whitespace only.
    mutating func document() throws -> PyValue {
        skipWhitespace()
        let value = try self.value()
        skipWhitespace()
        guard index == text.count else { throw failure("Extra data", at: index) }
        return value
    }

    private mutating func value() throws -> PyValue {
        guard index < text.count else { throw failure("Expecting value", at: index) }
        switch text[index] {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .str(try string())
        case "n" where matches("null"): index += 4; return .none
        case "t" where matches("true"): index += 4; return .bool(true)
        case "f" where matches("false"): index += 5; return .bool(false)
        case "N" where matches("NaN"): index += 3; return .float(.nan)
        case "I" where matches("Infinity"): index += 8; return .float(.infinity)
        case "-" where matches("-Infinity"): index += 9; return .float(-.infinity)
        default: return try number()
        }
    }

    private mutating func object() throws -> PyValue {
        index += 1
        var entries: [(key: PyValue, value: PyValue)] = []
        skipWhitespace()
        if index < text.count, text[index] == "}" {
            index += 1
            return .dict(entries)
        }
        while true {
            guard index < text.count, text[index] == "\"" else {
                throw failure("Expecting property name enclosed in double quotes", at: index)
            }
            let key = PyValue.str(try string())
            skipWhitespace()
            guard index < text.count, text[index] == ":" else { throw failure("Expecting ':' delimiter", at: index) }
            index += 1
            skipWhitespace()
            let value = try self.value()
            if let existing = entries.firstIndex(where: { $0.key == key }) {
                entries[existing].value = value  // a dict keeps the first place, the last value
            } else {
                entries.append((key, value))
            }
            skipWhitespace()
            guard index < text.count else { throw failure("Expecting ',' delimiter", at: index) }
            if text[index] == "}" {
                index += 1
                return .dict(entries)
            }
            guard text[index] == "," else { throw failure("Expecting ',' delimiter", at: index) }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func array() throws -> PyValue {
        index += 1
        var items: [PyValue] = []
        skipWhitespace()
        if index < text.count, text[index] == "]" {
            index += 1
            return .list(items)
        }
        while true {
            items.append(try value())
            skipWhitespace()
            guard index < text.count else { throw failure("Expecting ',' delimiter", at: index) }
            if text[index] == "]" {
                index += 1
                return .list(items)
            }
            guard text[index] == "," else { throw failure("Expecting ',' delimiter", at: index) }
            index += 1
            skipWhitespace()
        }
    }

    /// A string starting at the `"` under `index`.
    private mutating func string() throws -> String {
        let start = index
        index += 1
        var out = String.UnicodeScalarView()
        while true {
            guard index < text.count else { throw failure("Unterminated string starting at", at: start) }
            let scalar = text[index]
            switch scalar {
            case "\"":
                index += 1
                return String(out)
            case "\\":
                guard index + 1 < text.count else { throw failure("Unterminated string starting at", at: start) }
                let escape = text[index + 1]
                let simple: [Unicode.Scalar: Unicode.Scalar] = [
                    "\"": "\"", "\\": "\\", "/": "/", "b": "\u{8}", "f": "\u{c}", "n": "\n", "r": "\r", "t": "\t",
                ]
                if let replacement = simple[escape] {
                    out.append(replacement)
                    index += 2
                } else if escape == "u" {
                    out.append(try unicodeEscape())
                } else {
                    throw failure("Invalid \\escape", at: index)
                }
            default:
                if scalar.value < 0x20 { throw failure("Invalid control character at", at: index) }
                out.append(scalar)
                index += 1
            }
        }
    }

    /// `\uXXXX` under `index`, joining a surrogate pair as Python does (a lone surrogate
    /// becomes U+FFFD: Swift strings cannot hold one).
    private mutating func unicodeEscape() throws -> Unicode.Scalar {
        let first = try hexQuad(at: index + 2)
        index += 6
        if (0xD800..<0xDC00).contains(first), index + 1 < text.count, text[index] == "\\", text[index + 1] == "u",
            let second = try? hexQuad(at: index + 2), (0xDC00..<0xE000).contains(second)
        {
            index += 6
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) ?? "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private func hexQuad(at position: Int) throws -> UInt32 {
        guard position + 4 <= text.count,
            let value = UInt32(String(String.UnicodeScalarView(text[position..<position + 4])), radix: 16),
            text[position..<position + 4].allSatisfy({ $0.properties.isASCIIHexDigit })
        else { throw failure("Invalid \\uXXXX escape", at: position - 1) }
        return value
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`: an int unless it has a fraction or exponent.
    private mutating func number() throws -> PyValue {
        let start = index
        var position = index
        if position < text.count, text[position] == "-" { position += 1 }
        guard position < text.count, isDigit(text[position]) else { throw failure("Expecting value", at: start) }
        if text[position] == "0" {
            position += 1
        } else {
            while position < text.count, isDigit(text[position]) { position += 1 }
        }
        var isFloat = false
        if position + 1 < text.count, text[position] == ".", isDigit(text[position + 1]) {
            isFloat = true
            position += 2
            while position < text.count, isDigit(text[position]) { position += 1 }
        }
        if position < text.count, text[position] == "e" || text[position] == "E" {
            var exponent = position + 1
            if exponent < text.count, text[exponent] == "+" || text[exponent] == "-" { exponent += 1 }
            if exponent < text.count, isDigit(text[exponent]) {
                isFloat = true
                position = exponent
                while position < text.count, isDigit(text[position]) { position += 1 }
            }
        }
        let literal = String(String.UnicodeScalarView(text[start..<position]))
        index = position
        if isFloat { return .float(Double(literal) ?? .nan) }
        guard let number = Int(literal) else {
            throw builtins.ValueError("int \(literal) does not fit in 64 bits (nbrun's PyValue.int)")
        }
        return .int(number)
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private func matches(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        return index + scalars.count <= text.count && Array(text[index..<index + scalars.count]) == scalars
    }

    private mutating func skipWhitespace() {
        while index < text.count, [" ", "\t", "\n", "\r"].contains(text[index]) { index += 1 }
    }

    /// CPython's `JSONDecodeError(msg, doc, pos)`: line and column counted from 1.
    private func failure(_ message: String, at position: Int) -> json.JSONDecodeError {
        let before = text[..<min(position, text.count)]
        let lineno = before.filter { $0 == "\n" }.count + 1
        let colno = position - (before.lastIndex(of: "\n") ?? -1)
        return json.JSONDecodeError(msg: message, pos: position, lineno: lineno, colno: colno)
    }
}
