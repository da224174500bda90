import ArgumentParser
import Engine
import Notebook

/// `nbrun diff A B`: compares the outputs of two notebooks under the check rules.
/// Also a git diff driver: given git's seven arguments, it compares the two versions and
/// always exits 0 (git stops at a driver's non-zero exit).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare the outputs of two notebooks under the same rules as check.",
        discussion: """
            Exit 0 when they match, 1 when they differ. As a git diff driver: \
            git config diff.nbrun.command 'nbrun diff', and '*.ipynb diff=nbrun' in .gitattributes.
            """
    )

    @OptionGroup var rules: ConfigOption

    @Argument(help: "Two notebooks: the expected one, then the actual one (or git's 7 diff-driver arguments).")
    var files: [String]

    func validate() throws {
        guard files.count == 2 || files.count == 7 else {
            throw ValidationError("diff takes two notebooks (or git's seven diff-driver arguments)")
        }
    }

    func run() throws {
        let asGitDriver = files.count == 7
        let (label, left, right) =
            asGitDriver ? (files[0], files[1], files[4]) : ("\(files[0]) vs \(files[1])", files[0], files[1])
        let problems = Problems()
        if asGitDriver, left == "/dev/null" || right == "/dev/null" {
            Terminal.printReport("\(label): \(left == "/dev/null" ? "new notebook" : "notebook deleted")")
            return
        }
        guard let expected = Inputs.notebook(at: left, problems: problems),
            let actual = Inputs.notebook(at: right, problems: problems)
        else { throw problems.exitStatus }
        guard let pairs = NotebookComparison.pairCodeCells(expected, actual) else {
            let count = { (notebook: Notebook) in notebook.cells.filter { $0.type == .code }.count }
            problems.report(
                label, Complaint("cannot pair the code cells (\(count(expected)) vs \(count(actual)))"), as: .input)
            guard asGitDriver else { throw problems.exitStatus }
            return  // git stops at a driver's non-zero exit: the message is all it gets
        }
        let config = try rules.ruleBook()
        let entries: [NotebookComparison.Entry]
        do {
            entries = try NotebookComparison.compare(
                expected: expected, actual: actual, pairs: pairs,
                path: asGitDriver ? files[0] : left, registry: NBRun.registry,
                rules: config ?? RuleBook.governing(asGitDriver ? files[0] : left, registry: NBRun.registry))
        } catch {
            problems.report(label, error, as: .rules)
            throw problems.exitStatus
        }
        let differing = entries.filter { !$0.comparison.matches }
        for entry in differing {
            problems.record(.regression)
            Terminal.printReport(Reporting.heading(label, entry) + ": outputs differ")
            Terminal.printReport(Reporting.legend(asGitDriver ? "old" : left, asGitDriver ? "new" : right))
            Terminal.printReport(entry.comparison.differences.joined(separator: "\n"))
        }
        // A cell only one side has (the second copy of a pasted cell) is a difference too.
        for (notebook, side, name) in [
            (expected, 0, asGitDriver ? "old" : left), (actual, 1, asGitDriver ? "new" : right),
        ] {
            for index in NotebookComparison.unpaired(notebook, pairs: pairs, side: side) {
                problems.record(.regression)
                Terminal.printReport(
                    "\(label): \(CellLabel(index: index, cell: notebook.cells[index])): only in \(name)")
            }
        }
        // git stops at a driver's non-zero exit: as a driver, the report is all it gets.
        if !asGitDriver { try problems.finish() }
    }
}
