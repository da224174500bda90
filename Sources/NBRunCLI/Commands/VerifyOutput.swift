import Engine
import Foundation
import Notebook

/// What `verify` prints: each cell that is not faithful with its diff against the closest
/// CPython run, then (with `--suggest-rules`) the rules CPython's variation needs.
enum VerifyOutput {
    static func heading(_ path: String, _ verdict: CellVerdict) -> String {
        "\(path): \(verdict.label)" + (verdict.demo.map { " [\($0)]" } ?? "")
    }

    static func print(_ reports: [Verification.NotebookReport], suggestions: [Verification.NotebookReport]?) {
        for report in reports {
            for verdict in report.verdicts where !verdict.faithful {
                Swift.print(heading(report.path, verdict) + ": not faithful to CPython")
                if let closest = verdict.closestRun {
                    Swift.print(Reporting.legend("CPython run \(closest + 1)", "nbrun"))
                    Swift.print(verdict.differences.joined(separator: "\n"))
                } else {
                    Swift.print("  (no CPython run reached this cell)")
                }
            }
        }
        for report in reports {
            for verdict in report.verdicts {
                guard let hidden = verdict.hiddenByRules else { continue }
                Swift.print(
                    heading(report.path, verdict)
                        + ": faithful only under its rules, which CPython's \(verdict.cpython.count) runs did not need")
                Swift.print(Reporting.legend("CPython run 1", "nbrun, under the defaults alone"))
                Swift.print(hidden.joined(separator: "\n"))
            }
        }
        guard let suggestions else { return }
        var entries: [String] = []
        for report in suggestions {
            for verdict in report.verdicts {
                guard let suggestion = verdict.suggestion else { continue }
                switch suggestion {
                case .rules(let entry):
                    entries.append(
                        "  \(RulesFile.compact(.string(verdict.demo ?? "?"))): \(RulesFile.compact(.object(entry)))")
                case .cannotRepeat, .tooBroad:
                    Swift.print(heading(report.path, verdict) + ": " + suggestion.summary)
                }
            }
        }
        if entries.isEmpty {
            Swift.print("No rules to suggest: the rules in force cover how CPython's runs differ.")
        } else {
            Swift.print("Suggested rules (nbrun.json \"demos\"):")
            Swift.print(entries.joined(separator: ",\n"))
        }
    }

    static func junit(_ reports: [Verification.NotebookReport]) -> String {
        var report = JUnitReport()
        report.suiteName = "nbrun verify"
        report.failureMessage = "not faithful to CPython"
        for notebook in reports {
            for verdict in notebook.verdicts {
                let name = verdict.label.description + (verdict.demo.map { " [\($0)]" } ?? "")
                let failure =
                    verdict.faithful
                    ? nil : verdict.closestRun.map { "against CPython run \($0 + 1):\n" } ?? "no CPython run"
                report.cases.append(
                    .init(
                        notebook: notebook.path, name: name, seconds: 0,
                        failure: failure.map { $0 + verdict.differences.joined(separator: "\n") }))
            }
        }
        return report.xml
    }
}
