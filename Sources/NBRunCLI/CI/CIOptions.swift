import ArgumentParser
import Engine
import Foundation
import SystemCalls

/// `--config FILE`: the comparison rules to use instead of the `nbrun.json` found by walking
/// up from each notebook (for a copy of the notebooks outside their repository).
struct ConfigOption: ParsableArguments {
    @Option(help: "Use the rules in FILE instead of the nbrun.json found above each notebook.")
    var config: String?

    func validate() throws {
        // A path that names nothing is a mistyped argument: a usage error (exit 2). One that
        // exists but cannot be read (a symlink loop) is the rules file's error (exit 1).
        if let config, Syscall.status(config, followingLinks: false) == nil {
            throw ValidationError("--config \(config): no such file")
        }
    }

    /// The rules of `--config`, nil without it. A file that cannot be used (bad JSON, an
    /// unknown rule or demo) is reported and exits 1, like a bad nbrun.json, before anything runs.
    func ruleBook() throws -> RuleBook? {
        guard let config else { return nil }
        do {
            return try RuleBook.load(config, registry: NBRun.registry)
        } catch {
            let problems = Problems()
            problems.report(error, as: .rules)
            throw problems.exitStatus
        }
    }
}

/// How `run` and `check` report problems besides their text: as GitHub workflow commands.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, github

    /// `--format`, or github inside GitHub Actions.
    static func resolve(_ option: ReportFormat?) -> ReportFormat {
        option ?? (ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" ? .github : .text)
    }
}

/// The options `run` and `check` share for regenerating a course in CI.
struct CIOptions: ParsableArguments {
    @OptionGroup var rules: ConfigOption

    @Flag(name: .shortAndLong, help: "Print no summary line on stderr.")
    var quiet = false

    @Option(help: "text, or github: an ::error annotation per failing cell (default: github when GITHUB_ACTIONS=true).")
    var format: ReportFormat?

    @Option(help: "Take only shard I of N (e.g. 2/4) of the notebooks, balanced by their recorded timings.")
    var shard: String?

    func validate() throws {
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard must be I/N with 1 <= I <= N, e.g. 2/4")
        }
    }
}
