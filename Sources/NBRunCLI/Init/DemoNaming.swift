import Foundation

/// How `nbrun scaffold` names a new demo. Names are the keys of `nbrun.json`
/// (`"NOTEBOOK/NAME"`) and the words in every report, so they come from the cell: its `id`
/// when that reads as a name (`barrier-demo`, not nbformat's random `9c0dea3a`), else the
/// first name its source defines or calls (`def fetch` -> `fetch`, `results = ...` ->
/// `results`, `asyncio.run(main())` -> `asyncio-run`), else `cell-N` counting code cells only.
struct DemoNaming {
    /// Names already taken in the notebook (ported demos, earlier stubs).
    private var taken: Set<String>
    /// Swift names the demos' identifiers must not take (a session's properties): a demo
    /// named `start` beside a global `start` would read as one in the port.
    private let avoiding: Set<String>

    init(taken: some Sequence<String>, avoiding: Set<String> = []) {
        self.taken = Set(taken)
        self.avoiding = avoiding
    }

    /// A name for the cell, unique among the names given so far, and remembered.
    /// - Parameter codePosition: the cell's 1-based position among the notebook's code cells.
    mutating func name(id: String?, source: String, codePosition: Int) -> String {
        var base = id.flatMap(Self.readableID) ?? Self.sourceWord(source) ?? "cell-\(codePosition)"
        if avoiding.contains(Self.identifier(base)) { base += "-cell" }
        var name = base
        var suffix = 2
        while taken.contains(name) {
            name = "\(base)-\(suffix)"
            suffix += 1
        }
        taken.insert(name)
        return name
    }

    /// The id in kebab case, if it reads as a name: words of letters (and digits after a
    /// letter), not a run of hex digits such as the random ids Jupyter gives cells.
    static func readableID(_ id: String) -> String? {
        let hex = CharacterSet(charactersIn: "0123456789abcdefABCDEF-")
        if id.unicodeScalars.allSatisfy(hex.contains) { return nil }
        guard id.range(of: #"^[A-Za-z][A-Za-z0-9]*([-_][A-Za-z0-9]+)*$"#, options: .regularExpression) != nil,
            id.count <= 40
        else { return nil }
        return kebab(id)
    }

    /// The first name a line of the source defines, assigns or calls, in kebab case.
    static func sourceWord(_ source: String) -> String? {
        let patterns = [
            #"^(?:async\s+)?def\s+([A-Za-z_]\w*)"#,  // def fetch(...)
            #"^class\s+([A-Za-z_]\w*)"#,  // class Counter:
            #"^([A-Za-z_]\w*)(?:\s*,\s*[A-Za-z_]\w*)*\s*(?::[^=]*)?=(?!=)"#,  // results = ...
            #"^(?:await\s+)?([A-Za-z_][\w.]*)\s*\("#,  // asyncio.run(main())
        ]
        for line in source.split(separator: "\n") {
            let text = String(line)
            if text.hasPrefix("import ") || text.hasPrefix("from ") || text.hasPrefix("#") { continue }
            for pattern in patterns {
                guard let regex = try? NSRegularExpression(pattern: pattern),
                    let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                    let range = Range(match.range(at: 1), in: text)
                else { continue }
                let word = kebab(text[range].replacingOccurrences(of: ".", with: "-"))
                if word.contains(where: \.isLetter) && word != "print" { return word }
            }
        }
        return nil
    }

    /// `raw_thread`, `rawThread` -> `raw-thread`.
    static func kebab(_ word: String) -> String {
        var result = ""
        var previous: Character?
        for character in word {
            if character == "_" || character == "-" {
                if !result.isEmpty && result.last != "-" { result.append("-") }
            } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                result += "-" + character.lowercased()
            } else {
                result += character.lowercased()
            }
            previous = character
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }

    /// `raw-thread` -> `rawThread`, a Swift identifier for the demo's `static let`; a name
    /// that clashes with a keyword or the enum's own members gets `Demo` appended.
    static func identifier(_ name: String) -> String {
        let words = name.split(separator: "-").map(String.init)
        guard let first = words.first else { return "cellDemo" }
        var identifier = first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if identifier.first?.isNumber == true { identifier = "cell" + identifier }
        let reserved: Set<String> = [
            "demos", "notebook", "remoteFunctions", "self", "Self", "class", "func", "let", "var", "import",
            "return", "if", "else", "for", "while", "in", "do", "try", "throw", "throws", "switch", "case",
            "default", "break", "continue", "repeat", "guard", "defer", "where", "as", "is", "nil", "true",
            "false", "init", "deinit", "enum", "struct", "protocol", "extension", "static", "public", "private",
            "internal", "operator", "subscript", "typealias", "await", "async", "super", "any", "some",
        ]
        return reserved.contains(identifier) ? identifier + "Demo" : identifier
    }
}
