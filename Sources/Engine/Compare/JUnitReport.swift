import Foundation

/// JUnit XML for `nbrun check --junit`: one `<testcase>` per checked cell, a `<failure>`
/// holding the diff for each regression, so any CI system can show it.
package struct JUnitReport {
    package struct Case {
        package let notebook: String
        package let name: String
        package let seconds: Double
        /// nil when the cell passed.
        package let failure: String?

        package init(notebook: String, name: String, seconds: Double, failure: String?) {
            self.notebook = notebook
            self.name = name
            self.seconds = seconds
            self.failure = failure
        }
    }

    package var cases: [Case] = []
    /// The report's name and what a failure says (`verify` reports faithfulness, not regressions).
    package var suiteName = "nbrun check"
    package var failureMessage = "outputs differ from the committed notebook"

    package init() {}

    package var xml: String {
        let failures = cases.filter { $0.failure != nil }.count
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<testsuites name="\#(escape(suiteName))" tests="\#(cases.count)" failures="\#(failures)">"#,
        ]
        let byNotebook = Dictionary(grouping: cases, by: \.notebook)
        for notebook in byNotebook.keys.sorted() {
            let group = byNotebook[notebook] ?? []
            let failed = group.filter { $0.failure != nil }.count
            lines.append(#"  <testsuite name="\#(escape(notebook))" tests="\#(group.count)" failures="\#(failed)">"#)
            for testCase in group {
                let head =
                    #"    <testcase classname="\#(escape(notebook))" name="\#(escape(testCase.name))" time="\#(String(format: "%.3f", testCase.seconds))""#
                if let failure = testCase.failure {
                    lines.append(head + ">")
                    lines.append(
                        #"      <failure message="\#(escape(failureMessage))">\#(escape(failure))</failure>"#
                    )
                    lines.append("    </testcase>")
                } else {
                    lines.append(head + "/>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// XML-escapes text; characters XML 1.0 cannot hold (most C0 controls, e.g. ANSI escapes)
    /// are written as visible `\u{..}` instead of making the file invalid.
    private func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n", "\t", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
