/// One failure shown on a cell in a pull request, as a GitHub Actions workflow command:
/// `::error file=PATH,line=LINE,title=TITLE::MESSAGE`, LINE being the line of the cell's
/// `"source"` key in the .ipynb file (see `CellSourceLines`).
package struct Annotation: Sendable, Equatable {
    package let path: String
    /// The cell's index in the notebook.
    package let cellIndex: Int
    package let title: String
    package let message: String

    package init(path: String, cellIndex: Int, title: String, message: String) {
        self.path = path
        self.cellIndex = cellIndex
        self.title = title
        self.message = message
    }

    /// A cell whose fresh outputs differ from the committed ones; `diff` as `check` prints it.
    package static func differs(_ path: String, _ entry: NotebookComparison.Entry, diff: String) -> Annotation {
        let name = entry.label.description + (entry.demo.map { " [\($0)]" } ?? "")
        return Annotation(
            path: path, cellIndex: entry.label.position - 1, title: "nbrun: outputs differ, \(name)",
            message: "outputs differ from the committed notebook (-committed, +fresh run)\n" + diff)
    }

    /// A cell that raised or timed out.
    package static func failed(_ path: String, _ failure: RunResult.CellFailure) -> Annotation {
        let what = if case .timedOut = failure.failure { "cell timed out" } else { "cell raised an error" }
        return Annotation(
            path: path, cellIndex: failure.cell.position - 1, title: "nbrun: \(what), \(failure.cell)",
            message: failure.description)
    }

    /// A `no-run` cell no registered port matches any more.
    package static func stale(_ path: String, _ problem: DriftError.Problem) -> Annotation {
        Annotation(
            path: path, cellIndex: problem.cell.position - 1, title: "nbrun: stale port, \(problem.cell)",
            message: problem.description)
    }

    /// The workflow command; `sourceLines` are the file's (`CellSourceLines.lines`).
    package func command(sourceLines: [Int]) -> String {
        var properties = "file=\(Self.escapeProperty(path))"
        if sourceLines.indices.contains(cellIndex) { properties += ",line=\(sourceLines[cellIndex])" }
        properties += ",title=\(Self.escapeProperty(title))"
        return "::error \(properties)::\(Self.escapeData(message))"
    }

    /// Message text: `%`, CR and LF escaped as the runner requires.
    package static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Property values: also `:` and `,`, which would end the value.
    package static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
