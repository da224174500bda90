import Foundation

/// The notebook's globals as `nbrun scaffold --session` stubs them: every name a cell assigns
/// at the top level (`accounts = {...}`, `t1, t2 = ...`, `total: int = 0`) becomes a property
/// of the `Session` class, named in Swift's lowerCamelCase (`lock_a` -> `lockA`), typed from
/// the first value assigned when it is a literal (`0` -> `Int`, `'x'` -> `String`) and
/// `PyValue` otherwise, to be given its look-alike's type when the cell is ported. Functions a
/// later cell defines again (`def worker` three times) are listed too: the session holds the
/// current one.
struct SessionGlobals {
    struct Global: Equatable {
        /// The Python name, e.g. `lock_a`.
        let python: String
        /// The property's Swift name, e.g. `lockA`.
        let swift: String
        /// `Int`, `Double`, `String`, `Bool` or `PyValue`.
        let type: String
        /// The first assignment's line, shown above the property.
        let firstLine: String

        var initialValue: String {
            switch type {
            case "Int", "Double": "0"
            case "String": "\"\""
            case "Bool": "false"
            default: ".none"
            }
        }
    }

    /// In first-assignment order.
    private(set) var globals: [Global] = []
    /// Functions defined at the top level of more than one cell, with how many cells define them.
    private(set) var redefined: [(name: String, cells: Int)] = []

    /// The Swift names taken by the session's properties.
    var swiftNames: Set<String> { Set(globals.map(\.swift)) }

    init(sources: [String]) {
        var definitions: [String: Int] = [:], definitionOrder: [String] = []
        for source in sources {
            var definedHere: Set<String> = []
            for line in Self.topLevelLines(source) {
                if let function = Self.firstCapture(#"^(?:async\s+)?def\s+([A-Za-z_]\w*)"#, in: line) {
                    if definitions[function] == nil { definitionOrder.append(function) }
                    if definedHere.insert(function).inserted { definitions[function, default: 0] += 1 }
                    continue
                }
                guard let targets = Self.firstCapture(Self.assignment, in: line), let value = Self.value(of: line)
                else { continue }
                let names = targets.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                // `else: x = 1` reads as an annotated `else`: a keyword is no global.
                guard !names.contains(where: Self.pythonKeywords.contains) else { continue }
                for name in names {
                    let type = names.count == 1 ? Self.literalType(value) : "PyValue"
                    add(Global(python: name, swift: Self.swiftName(name), type: type, firstLine: line))
                }
            }
        }
        redefined = definitionOrder.compactMap { name in
            guard let cells = definitions[name], cells > 1 else { return nil }
            return (name, cells)
        }
    }

    private mutating func add(_ global: Global) {
        guard let index = globals.firstIndex(where: { $0.python == global.python }) else {
            globals.append(global)
            return
        }
        let first = globals[index]
        if first.type != global.type && first.type != "PyValue" {
            // Assigned values of different types: leave the choice to the port.
            globals[index] = Global(
                python: first.python, swift: first.swift, type: "PyValue", firstLine: first.firstLine)
        }
    }

    /// `name = ...`, `a, b = ...`, `name: hint = ...`; not `==`, `x[0] = ...`, `obj.attr = ...`.
    private static let assignment = #"^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)"#

    /// The right-hand side of an assignment line, trimmed; nil for an augmented one (`x += 1`).
    private static func value(of line: String) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let before = line[..<equals].last
        if let before, "+-*/%&|^<>!@".contains(before) { return nil }
        return line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }

    /// A Python literal's Swift type; `PyValue` for anything else (a call, a container).
    static func literalType(_ value: String) -> String {
        let value = value.split(separator: "#").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? value
        if value.range(of: #"^-?\d[\d_]*$"#, options: .regularExpression) != nil { return "Int" }
        if value.range(of: #"^-?(\d[\d_]*)?\.\d*([eE][-+]?\d+)?$|^-?\d+[eE][-+]?\d+$"#, options: .regularExpression)
            != nil
        {
            return "Double"
        }
        if value.range(of: #"^[rRbBuUfF]{0,2}(".*"|'.*')$"#, options: .regularExpression) != nil,
            !value.lowercased().hasPrefix("b")
        {
            return "String"
        }
        if value == "True" || value == "False" { return "Bool" }
        return "PyValue"
    }

    /// `lock_a` -> `lockA`, `MAX_N` -> `maxN`: a valid, non-keyword Swift identifier.
    static func swiftName(_ python: String) -> String {
        let words = python.split(separator: "_").map { word in
            word.allSatisfy { !$0.isLowercase } ? word.lowercased() : String(word)
        }
        guard let first = words.first else { return "value" }
        let name =
            first.prefix(1).lowercased() + first.dropFirst()
            + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return keywords.contains(name) ? name + "Value" : name
    }

    private static let pythonKeywords: Set<String> = [
        "else", "try", "finally", "except", "with", "for", "while", "if", "elif", "lambda", "return", "async",
        "await", "match", "case", "global", "nonlocal", "del", "pass", "raise", "yield", "assert", "not", "in",
    ]

    private static let keywords: Set<String> = [
        "class", "func", "let", "var", "import", "return", "if", "else", "for", "while", "in", "do", "try", "throw",
        "throws", "switch", "case", "default", "break", "continue", "repeat", "guard", "defer", "where", "as", "is",
        "nil", "true", "false", "init", "deinit", "enum", "struct", "protocol", "extension", "static", "public",
        "private", "internal", "operator", "subscript", "typealias", "await", "async", "super", "self", "Self",
        "any", "some", "inout", "fileprivate", "open", "rethrows",
    ]

    /// The lines of a cell at column 0, outside triple-quoted strings and comments.
    static func topLevelLines(_ source: String) -> [String] {
        var lines: [String] = []
        var inString = false
        for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let quotes =
                line.components(separatedBy: "\"\"\"").count - 1 + line.components(separatedBy: "'''").count - 1
            let startsInString = inString
            if quotes % 2 == 1 { inString.toggle() }
            guard !startsInString, let first = line.first, !first.isWhitespace, first != "#" else { continue }
            lines.append(line)
        }
        return lines
    }

    private static func firstCapture(_ pattern: String, in line: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
            let range = Range(match.range(at: 1), in: line)
        else { return nil }
        return String(line[range])
    }
}
