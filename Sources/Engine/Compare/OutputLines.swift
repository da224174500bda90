import Notebook

/// A cell's outputs as the lines a reader sees, grouped by where they went: stdout,
/// stderr, and everything else in order: errors as `ename: evalue`, values (`Out[n]`) and
/// displays by their `text/plain` lines, displays also by their mime types. How a kernel happened to
/// chunk a stream into several outputs does not matter; the lines do.
package struct OutputLines: Sendable, Equatable {
    package var stdout: [String] = []
    package var stderr: [String] = []
    package var other: [String] = []

    package init(_ outputs: [Output]) {
        var pending: [String: String] = [:]
        for output in outputs {
            if let stream = output.stream {
                pending[stream.name, default: ""] += stream.text
                continue
            }
            switch output.outputType {
            case .error:
                let name = output.fields["ename"]?.stringValue ?? "?"
                let value = output.fields["evalue"]?.stringValue ?? ""
                other.append("[error] \(name): \(value)")
            default:
                let data = output.fields["data"]?.objectValue
                // A display is compared by its forms (which mime types) and its text/plain;
                // a value (`execute_result`) by its text/plain, under the stream rules.
                if output.outputType == .displayData, let data {
                    other.append("[display_data] " + data.members.map(\.key).sorted().joined(separator: ", "))
                }
                if let text = data?["text/plain"]?.stringValue {
                    other += Self.lines(text).map { "[\(output.outputType.name)] \($0)" }
                } else {
                    let rendered = String(decoding: JSONWriter.bytes(.object(output.fields)), as: UTF8.self)
                    other.append("[\(output.outputType.name)] \(rendered.split(separator: "\n").joined())")
                }
            }
        }
        stdout = Self.lines(pending["stdout"] ?? "")
        stderr = Self.lines(pending["stderr"] ?? "")
        for (name, text) in pending where name != "stdout" && name != "stderr" {
            other += Self.lines(text).map { "[\(name)] \($0)" }
        }
    }

    /// The channels with their names, for reports.
    package var channels: [(name: String, lines: [String])] {
        [("stdout", stdout), ("stderr", stderr), ("other", other)]
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
