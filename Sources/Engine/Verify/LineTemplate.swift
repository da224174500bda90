import Foundation

/// A line split into tokens for learning rules: numbers, words, runs of spaces, and single
/// other characters. Rules are written from tokens, so a pattern never cuts a word or a
/// number in two.
struct LineTokens: Equatable {
    enum Kind: Equatable { case integer, real, word, space, other }

    struct Token: Equatable {
        let text: String
        let kind: Kind
    }

    let tokens: [Token]

    // A constant pattern (checked by the tests): compiling it cannot fail at run time.
    private static let tokenPattern = try! NSRegularExpression(
        pattern: #"\d+\.\d+(?:[eE][-+]?\d+)?|\d+|[A-Za-z_][A-Za-z0-9_]*|\s+|."#)

    init(_ line: String) {
        var tokens: [Token] = []
        for match in Self.tokenPattern.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
            guard let range = Range(match.range, in: line) else { continue }
            let text = String(line[range])
            let kind: Kind
            if let first = text.unicodeScalars.first, CharacterSet.decimalDigits.contains(first) {
                kind = text.contains(".") ? .real : .integer
            } else if let first = text.first, first.isLetter || first == "_" {
                kind = .word
            } else if text.allSatisfy(\.isWhitespace) {
                kind = .space
            } else {
                kind = .other
            }
            tokens.append(Token(text: text, kind: kind))
        }
        self.tokens = tokens
    }
}

/// What several variants of one line have in common: literal stretches, and the places
/// where they differ, each with every value seen there. Written as an anchored pattern,
/// it matches those variants and only lines that differ from them where they differed.
struct LineTemplate: Equatable {
    enum Part: Equatable {
        case literal([LineTokens.Token])
        /// Where the variants differ: every value seen, and whether all were integers.
        case varying([String], integers: Bool)
    }

    let parts: [Part]

    /// The template of `variants` (at least one line): position by position when all have
    /// as many tokens, else their common first and last tokens around one varying middle.
    init(_ variants: [String]) {
        let lines = variants.map(LineTokens.init).map(\.tokens)
        let count = lines.first?.count ?? 0
        var parts: [Part] = []
        if lines.allSatisfy({ $0.count == count }) {
            for position in 0..<count {
                let column = lines.map { $0[position] }
                if Set(column.map(\.text)).count == 1 || column.allSatisfy({ $0.kind == .real }) {
                    parts.append(.literal([column[0]]))
                } else {
                    parts.append(Self.varying(column.map(\.text)))
                }
            }
        } else {
            let shortest = lines.map(\.count).min() ?? 0
            var prefix = 0
            while prefix < shortest, Set(lines.map { $0[prefix].text }).count == 1 { prefix += 1 }
            var suffix = 0
            while suffix < shortest - prefix, Set(lines.map { $0[$0.count - 1 - suffix].text }).count == 1 {
                suffix += 1
            }
            let first = lines[0]
            if prefix > 0 { parts.append(.literal(Array(first[0..<prefix]))) }
            parts.append(
                Self.varying(lines.map { $0[prefix..<($0.count - suffix)].map(\.text).joined() }))
            if suffix > 0 { parts.append(.literal(Array(first[(first.count - suffix)...]))) }
        }
        self.parts = Self.merged(parts)
    }

    private static func varying(_ values: [String]) -> Part {
        var seen: [String] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        let integers = seen.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        return .varying(seen, integers: integers)
    }

    /// Adjacent literals joined, so the pattern reads as the line does.
    private static func merged(_ parts: [Part]) -> [Part] {
        var result: [Part] = []
        for part in parts {
            if case .literal(let more) = part, case .literal(let tokens)? = result.last {
                result[result.count - 1] = .literal(tokens + more)
            } else {
                result.append(part)
            }
        }
        return result
    }

    var varies: Bool {
        parts.contains { if case .varying = $0 { true } else { false } }
    }

    /// The anchored pattern: literal text escaped (its measured numbers as any real, which
    /// the tolerance then compares), each varying place as a group (`capture`: for `mask`)
    /// of the integers class when only integers were seen there, else of the values seen;
    /// without `capture` the integers class stands alone (`^child \d+ says hi$`).
    func pattern(capture: Bool) -> String {
        var pattern = "^"
        for part in parts {
            switch part {
            case .literal(let tokens):
                for token in tokens {
                    pattern +=
                        token.kind == .real
                        ? #"\d+\.\d+(?:[eE][-+]?\d+)?"# : Self.escaped(token.text)
                }
            case let .varying(values, integers):
                if integers && !capture {
                    pattern += #"\d+"#  // one class needs no group
                    continue
                }
                let body =
                    integers
                    ? #"\d+"# : values.map(Self.escaped).joined(separator: "|")
                pattern += (capture ? "(" : "(?:") + body + ")"
            }
        }
        return pattern + "$"
    }

    /// `text` as a literal in an ICU pattern: only the characters that mean something there
    /// are escaped, so the rule reads like the line (`https://site/3`, not `https:\/\/site\/3`).
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
