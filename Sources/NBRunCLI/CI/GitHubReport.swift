import Engine
import Foundation
import Notebook

/// GitHub Actions' annotations (on stdout, where the runner reads them) and job summary.
enum GitHubReport {
    /// Prints one command per annotation on stdout, where the runner reads them.
    static func emit(_ annotations: [Annotation]) {
        var linesByPath: [String: [Int]] = [:]
        for annotation in annotations {
            if linesByPath[annotation.path] == nil {
                let bytes = (try? NotebookFile.readBytes(annotation.path)) ?? []
                linesByPath[annotation.path] = CellSourceLines.lines(in: bytes)
            }
            print(annotation.command(sourceLines: linesByPath[annotation.path] ?? []))
        }
    }

    /// Appends `markdown` to the job summary when `GITHUB_STEP_SUMMARY` names its file.
    static func appendStepSummary(_ markdown: String) {
        guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            return Terminal.report(path, Complaint("cannot append the job summary"))
        }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        // A full disk loses the summary, not the run.
        try? handle.write(contentsOf: Data(markdown.utf8))
    }

    /// A Markdown table: a header row and one row per notebook.
    static func table(_ title: String, header: [String], rows: [[String]]) -> String {
        let line = { (cells: [String]) in
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return (["### \(title)", "", line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(
            separator: "\n") + "\n\n"
    }
}
