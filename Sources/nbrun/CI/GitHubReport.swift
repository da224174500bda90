import Engine
import Foundation
import Notebook

/// One problem to show on a cell in a pull request: `::error file=PATH,line=LINE,title=...::message`.
struct Annotation {
    let path: String
    /// The cell's index in the notebook; its `"source"` line becomes LINE.
    let cellIndex: Int
    let title: String
    let message: String
}

/// GitHub Actions' workflow commands and job summary.
enum GitHubReport {
    /// The workflow command for `annotation`, LINE found in the file as it is on disk now.
    static func command(_ annotation: Annotation, sourceLines: [Int]) -> String {
        var properties = "file=\(escapeProperty(annotation.path))"
        if sourceLines.indices.contains(annotation.cellIndex) {
            properties += ",line=\(sourceLines[annotation.cellIndex])"
        }
        properties += ",title=\(escapeProperty(annotation.title))"
        return "::error \(properties)::\(escapeData(annotation.message))"
    }

    /// Prints one command per annotation on stdout, where the runner reads them.
    static func emit(_ annotations: [Annotation]) {
        var linesByPath: [String: [Int]] = [:]
        for annotation in annotations {
            if linesByPath[annotation.path] == nil {
                let bytes = (try? NotebookFile.readBytes(annotation.path)) ?? []
                linesByPath[annotation.path] = CellSourceLines.lines(in: bytes)
            }
            print(command(annotation, sourceLines: linesByPath[annotation.path] ?? []))
        }
    }

    /// Message text: `%`, CR and LF escaped as the runner requires.
    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Property values: also `:` and `,`, which would end the value.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    /// Appends `markdown` to the job summary when `GITHUB_STEP_SUMMARY` names its file.
    static func appendStepSummary(_ markdown: String) {
        guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            return Terminal.report(path, "cannot append the job summary")
        }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        handle.write(Data(markdown.utf8))
    }

    /// A Markdown table: a header row and one row per notebook.
    static func table(_ title: String, header: [String], rows: [[String]]) -> String {
        let line = { (cells: [String]) in "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return (["### \(title)", "", line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n") + "\n\n"
    }
}
