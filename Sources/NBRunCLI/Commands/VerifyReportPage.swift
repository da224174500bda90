import Engine
import Foundation

/// `verify --report FILE`: one self-contained HTML page (no external file, style or
/// script) a person reads, or CI keeps as an artifact: per notebook, per cell, the Python
/// source, CPython's outputs across runs with the lines that varied highlighted, nbrun's
/// runs, the verdict with its diff, and the suggested rule.
enum VerifyReportPage {
    static func html(_ reports: [Verification.NotebookReport], runs: Int) -> String {
        let cells = reports.flatMap(\.verdicts)
        let unfaithful = cells.count { !$0.faithful }
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>nbrun verify: \(unfaithful) of \(cells.count) cells not faithful</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>nbrun verify</h1>
            <p class="summary">\(reports.count) notebooks, \(cells.count) cells, \(runs) runs each in CPython and in nbrun: \
            <strong id="unfaithful-count">\(unfaithful)</strong> not faithful.</p>
            <p class="legend">Marked: <span class="varies">a line not in every CPython run</span> (measured numbers aside), \
            <span class="unseen">a line of nbrun's that no CPython run printed</span>.</p>
            <label><input type="checkbox" id="only-unfaithful"> show only cells that are not faithful</label>
            </header>

            """
        for report in reports {
            page += "<section class=\"notebook\">\n<h2>\(escape(report.path))</h2>\n"
            for problem in report.kernelProblems { page += "<p class=\"problem\">\(escape(problem))</p>\n" }
            for verdict in report.verdicts { page += cell(verdict) }
            page += "</section>\n"
        }
        page += "<script>\(script)</script>\n</body>\n</html>\n"
        return page
    }

    private static func cell(_ verdict: CellVerdict) -> String {
        let state = verdict.faithful ? "faithful" : "unfaithful"
        var html = "<article class=\"cell \(state)\" data-verdict=\"\(state)\">\n"
        html += "<h3>\(escape(verdict.label.description))"
        if let demo = verdict.demo { html += " <code>\(escape(demo))</code>" }
        html += " <span class=\"verdict\">\(verdict.faithful ? "faithful" : "not faithful")</span></h3>\n"
        html += "<pre class=\"source\">\(escape(verdict.source))</pre>\n"
        // CPython's runs: what varied between them is marked; nbrun's: what no CPython run printed.
        let stable = stableLines(verdict.cpython)
        let seen = Set(verdict.cpython.flatMap(keyed))
        html += "<div class=\"runs\">\n"
        for (number, run) in verdict.cpython.enumerated() {
            html += column("CPython run \(number + 1)", run) { stable.contains($0) ? nil : "varies" }
        }
        html += "</div>\n<div class=\"runs\">\n"
        for (number, run) in verdict.nbrun.enumerated() {
            html += column("nbrun run \(number + 1)", run, nbrun: true) { seen.contains($0) ? nil : "unseen" }
        }
        html += "</div>\n"
        if !verdict.faithful {
            let against =
                verdict.closestRun.map { "diff against CPython run \($0 + 1) (-CPython, +nbrun)" } ?? "no CPython run"
            html += "<p class=\"diff-title\">\(escape(against))</p>\n<pre class=\"diff\">"
            html += verdict.differences.map { line in
                let kind = line.hasPrefix("  -") ? "minus" : line.hasPrefix("  +") ? "plus" : "same"
                return "<span class=\"\(kind)\">\(escape(line))</span>"
            }.joined(separator: "\n")
            html += "</pre>\n"
        }
        if let hidden = verdict.hiddenByRules {
            html += "<p class=\"note\">faithful only under its rules, which CPython's \(verdict.cpython.count) runs "
            html += "did not need; under the defaults alone (-CPython run 1, +nbrun):</p>\n<pre class=\"diff\">"
            html += hidden.map(escape).joined(separator: "\n") + "</pre>\n"
        }
        if let suggestion = verdict.suggestion {
            let title = suggestion.entry == nil ? "rule learning" : "suggested rule"
            html += "<p class=\"rule\">\(title): <code>\(escape(suggestion.summary))</code></p>\n"
        }
        return html + "</article>\n"
    }

    /// Lines (channel and text) every CPython run printed: the others varied.
    private static func stableLines(_ runs: [OutputLines]) -> Set<String> {
        guard let first = runs.first else { return [] }
        var stable = Set(keyed(first))
        for run in runs.dropFirst() { stable.formIntersection(keyed(run)) }
        return stable
    }

    private static func keyed(_ lines: OutputLines) -> [String] {
        lines.channels.flatMap { channel in channel.lines.map { key(channel.name, $0) } }
    }

    /// A line as the marks compare it: its channel, and its measured numbers left out
    /// (the tolerance compares those; a time that moved a little did not vary).
    private static func key(_ channel: String, _ line: String) -> String {
        let shape = line.replacingOccurrences(of: #"\d+\.\d+"#, with: "#.#", options: .regularExpression)
        return "\(channel)\u{0}\(shape)"
    }

    /// One run's lines; `mark` gives the class of a line (keyed by channel) worth pointing out.
    private static func column(
        _ title: String, _ lines: OutputLines, nbrun: Bool = false, mark: (String) -> String?
    ) -> String {
        var html = "<div class=\"run\(nbrun ? " nbrun" : "")\"><h4>\(escape(title))</h4><pre>"
        var rows: [String] = []
        for channel in lines.channels {
            for line in channel.lines {
                let marked = mark(key(channel.name, line))
                let classes = [channel.name == "stdout" ? nil : channel.name, marked].compactMap { $0 }
                rows.append(
                    classes.isEmpty
                        ? escape(line) : "<span class=\"\(classes.joined(separator: " "))\">\(escape(line))</span>")
            }
        }
        html += rows.isEmpty ? "<span class=\"empty\">(no output)</span>" : rows.joined(separator: "\n")
        return html + "</pre></div>\n"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    private static let style = """
        body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
        pre{background:#f6f6f6;padding:.5em;overflow-x:auto;margin:.2em 0;font-size:12px}
        .cell{border:1px solid #ccc;border-radius:4px;padding:.5em 1em;margin:1em 0}
        .cell.unfaithful{border-color:#c00;border-width:2px}
        .verdict{font-size:.8em;padding:.1em .5em;border-radius:3px;color:#fff;background:#2a7}
        .unfaithful .verdict{background:#c00}
        .runs{display:flex;flex-wrap:wrap;gap:.5em}
        .run{flex:1 1 18em;min-width:0}.run h4{margin:.3em 0;font-size:.85em}
        .run.nbrun pre{background:#eef4ff}
        .varies{background:#ffe08a}.unseen{background:#ffc9c9}.stderr{color:#a40}.other{color:#555}
        .diff .minus{color:#b00}.diff .plus{color:#070}
        .problem{color:#b00}.empty{color:#999}.note{color:#a60}
        body.only-unfaithful .cell.faithful{display:none}
        """

    private static let script = """
        (function () {
          var box = document.getElementById("only-unfaithful");
          box.addEventListener("change", function () {
            document.body.classList.toggle("only-unfaithful", box.checked);
          });
          var shown = document.querySelectorAll("article.cell.unfaithful").length;
          document.getElementById("unfaithful-count").textContent = String(shown);
          document.body.setAttribute("data-ready", "yes");
        })();
        """
}
