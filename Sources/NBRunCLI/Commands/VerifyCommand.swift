import ArgumentParser
import Engine
import Foundation
import Notebook

/// `nbrun verify NOTEBOOK...`: every port checked against a real kernel. Each notebook runs
/// `--runs` times in Jupyter (nbclient + ipykernel) and as many times through its ports;
/// a cell is faithful when each of nbrun's runs matches one of CPython's under the
/// `check` rules. Nothing is written but what `--junit`, `--report` and `--write-rules` ask.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every port against the real thing: run the notebooks in a Jupyter kernel and compare.",
        discussion: """
            Needs nbclient and ipykernel in --python. A cell is faithful when each of nbrun's runs \
            matches one of CPython's under the check rules (nbrun.json, metadata.nbrun). \
            --suggest-rules prints the rules CPython's own variation needs; --write-rules merges them \
            into nbrun.json. Exit 0 when every cell is faithful, 1 when one is not.
            """
    )

    @Option(help: "The Python whose nbclient and ipykernel run the notebooks.")
    var python = "python3"

    @Option(help: "Run each notebook N times in CPython and N times through its ports.")
    var runs = 3

    @Option(
        help: ArgumentHelp(
            "Before calling a cell unfaithful, run its notebook up to N more times in CPython.",
            discussion: "A line CPython prints one way in most runs and another in a few needs more samples."))
    var moreRuns = 3

    @Option(help: "Also write a JUnit XML report: one testcase per verified cell (- for stdout).")
    var junit: String?

    @Option(
        help: "Also write a self-contained HTML page: every cell's source, CPython's and nbrun's outputs, verdicts.")
    var report: String?

    @Flag(help: "Print the nbrun.json rules that cover how CPython's own runs differ, cell by cell.")
    var suggestRules = false

    @Flag(help: "Merge the suggested rules into nbrun.json (keeping what is there), then judge under them.")
    var writeRules = false

    @OptionGroup var rules: ConfigOption

    @Flag(name: .shortAndLong, help: "Print no summary line on stderr.")
    var quiet = false

    @Argument(help: "Notebooks, or directories to search for *.ipynb.")
    var notebooks: [String]

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1") }
        if moreRuns < 0 { throw ValidationError("--more-runs must be 0 or more") }
        if runs < 2, suggestRules || writeRules {
            throw ValidationError(
                "--suggest-rules and --write-rules learn from CPython's runs: --runs must be at least 2")
        }
        if python.isEmpty { throw ValidationError("--python must name a Python") }
    }

    func run() throws {
        let started = Date()
        let config = try rules.ruleBook()
        let problems = Problems()
        let paths = Inputs.paths(notebooks, problems: problems)
        var plans: [RunPlan] = []
        var books: [RuleBook] = []
        var engine = EngineOptions()
        engine.defaultTimeoutFactor = 20  // a port that hangs fails instead
        // A notebook with no no-run cell has nothing to verify: no kernel is started for it.
        for plan in Inputs.plans(for: paths, registry: NBRun.registry, problems: problems) where !plan.steps.isEmpty {
            do throws(RuleError) {
                let book: RuleBook
                if let config {
                    book = config
                } else {
                    book = try RuleBook.governing(plan.path, registry: NBRun.registry)
                }
                try engine.adopt(book, for: plan)
                plans.append(plan)
                books.append(book)
            } catch {
                problems.report(plan.path, error, as: .rules)
            }
        }
        var runs: Verification.Runs
        do {
            // The course's services answer the kernels as they answer the ports.
            runs = try NBRun.withServices(for: plans) {
                try Verification.run(plans, rules: books, python: python, runs: self.runs, engine: engine)
            }
        } catch let code as ExitCode {
            throw code  // a service that could not start has said so
        } catch {
            problems.report(error, as: .input)
            throw problems.exitStatus
        }
        var reports = judge(plans, books, runs, problems: problems)
        // CPython's rarer outputs: a cell that matches none of the first runs gets more of them.
        let doubtful = plans.indices.filter { index in
            reports.contains { $0.path == plans[index].path && $0.verdicts.contains { !$0.faithful } }
        }
        if moreRuns > 0, !doubtful.isEmpty {
            do {
                let doubtfulPlans = doubtful.map { plans[$0] }
                let extra = try NBRun.withServices(for: doubtfulPlans) {
                    try KernelBatch.run(
                        doubtfulPlans, rules: doubtful.map { books[$0] }, python: python, runs: moreRuns)
                }
                runs = runs.adding(cpython: extra, at: doubtful)
                reports = judge(plans, books, runs, problems: Problems())
            } catch let code as ExitCode {
                throw code
            } catch {
                problems.report(error, as: .input)
                throw problems.exitStatus
            }
        }
        // What was suggested is said as learned under the rules in force before any writing.
        let suggested = suggestRules || writeRules ? reports : nil
        if writeRules, let rewritten = write(reports, plans: plans, books: books, config: config, problems: problems) {
            books = rewritten
            reports = keepingSuggestions(of: suggested ?? [], in: judge(plans, books, runs, problems: Problems()))
        }
        VerifyOutput.print(reports, suggestions: suggested)
        for report in reports {
            report.kernelProblems.forEach { problems.report(report.path, Complaint($0), as: .cell) }
        }
        let unfaithful = reports.reduce(0) { $0 + $1.verdicts.count { !$0.faithful } }
        for _ in 0..<unfaithful { problems.record(.regression) }
        if let junit { writeFile(VerifyOutput.junit(reports), to: junit, problems: problems) }
        if let report { writeFile(VerifyReportPage.html(reports, runs: self.runs), to: report, problems: problems) }
        if !quiet {
            let cells = reports.reduce(0) { $0 + $1.verdicts.count }
            Terminal.printError(
                String(
                    format: "nbrun: verified %d notebook%@, %d cell%@, %d run%@ each in %.1f s; %d cell%@ not faithful",
                    reports.count, reports.count == 1 ? "" : "s", cells, cells == 1 ? "" : "s", self.runs,
                    self.runs == 1 ? "" : "s", Date().timeIntervalSince(started), unfaithful, unfaithful == 1 ? "" : "s"
                ))
        }
        try problems.finish()
    }

    private func judge(_ plans: [RunPlan], _ books: [RuleBook], _ runs: Verification.Runs, problems: Problems)
        -> [Verification.NotebookReport]
    {
        zip(plans.indices, plans).compactMap { index, plan in
            do throws(RuleError) {
                return try Verification.judge(
                    plan, cpython: runs.cpython[index], nbrun: runs.nbrun[index], rules: books[index],
                    suggest: suggestRules || writeRules)
            } catch {
                problems.report(plan.path, error, as: .rules)
                return nil
            }
        }
    }

    /// The verdicts under the rules written, with what was suggested (and written) beside them.
    private func keepingSuggestions(
        of suggested: [Verification.NotebookReport], in reports: [Verification.NotebookReport]
    ) -> [Verification.NotebookReport] {
        let learned = Dictionary(suggested.map { ($0.path, $0.verdicts) }, uniquingKeysWith: { first, _ in first })
        var reports = reports
        for index in reports.indices {
            guard let before = learned[reports[index].path], before.count == reports[index].verdicts.count else {
                continue
            }
            for cell in before.indices { reports[index].verdicts[cell].suggestion = before[cell].suggestion }
        }
        return reports
    }

    /// Merges the suggestions into each governing nbrun.json (`--config`'s file with it; a
    /// new nbrun.json at the repository root when none governs) and reloads the rules.
    private func write(
        _ reports: [Verification.NotebookReport], plans: [RunPlan], books: [RuleBook], config: RuleBook?,
        problems: Problems
    ) -> [RuleBook]? {
        var byFile: [String: [(demo: String, entry: JSONObject)]] = [:]
        var order: [String] = []
        for (report, (plan, book)) in zip(reports, zip(plans, books)) {
            let file = book.path ?? RulesLocation.newFile(for: plan.path)
            for verdict in report.verdicts {
                guard let demo = verdict.demo, let entry = verdict.suggestion?.entry else { continue }
                if byFile[file] == nil { order.append(file) }
                byFile[file, default: []].append((demo, entry))
            }
        }
        guard !order.isEmpty else { return nil }
        for file in order {
            do {
                try RulesFile.write(byFile[file] ?? [], to: file)
                Terminal.printError("nbrun: \(file): \(byFile[file]?.count ?? 0) suggested rules merged")
            } catch {
                problems.report(file, error, as: .output)
                return nil
            }
        }
        do {
            return try zip(plans, books).map { plan, book in
                if let path = config?.path { return try RuleBook.load(path, registry: NBRun.registry) }
                return try RuleBook.governing(plan.path, registry: NBRun.registry)
            }
        } catch {
            problems.report(error, as: .rules)
            return nil
        }
    }

    private func writeFile(_ text: String, to path: String, problems: Problems) {
        do throws(NotebookError) {
            try Destination.write(Array(text.utf8), to: path)
        } catch {
            problems.report(path, error, as: .output)
        }
    }
}

/// Where `--write-rules` puts a new `nbrun.json`: the root of the notebook's repository
/// (the folder holding `.git`), else the notebook's folder.
enum RulesLocation {
    static func newFile(for notebook: String) -> String {
        let start = URL(fileURLWithPath: notebook).standardizedFileURL.deletingLastPathComponent()
        var folder = start
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
                return folder.appendingPathComponent(RuleBook.fileName).path
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return start.appendingPathComponent(RuleBook.fileName).path }
            folder = parent
        }
    }
}
