import Engine

/// How `check` and `diff` name cells and lay out their reports.
enum Reporting {
    static func name(_ entry: NotebookComparison.Entry) -> String {
        entry.label.description + (entry.demo.map { " [\($0)]" } ?? "")
    }

    static func heading(_ path: String, _ entry: NotebookComparison.Entry) -> String {
        "\(path): \(name(entry))"
    }

    static func legend(_ minus: String, _ plus: String) -> String {
        "  (-\(minus), +\(plus))"
    }
}
