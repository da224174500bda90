import ArgumentParser
import Demos
import Foundation
import Futures

/// `nbrun`: runs the `no-run` cells of Jupyter notebooks with registered Swift ports.
/// With no verb, the arguments are notebooks to run (`nbrun 02-threads.ipynb`).
struct NBRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nbrun",
        abstract: "Run the no-run cells of Jupyter notebooks through registered Swift ports.",
        discussion: """
            Exit status: 0 success, 1 a failed run, check or bad notebook, 2 a usage error.
            """,
        version: "0.1.0",
        subcommands: [RunCommand.self, CheckCommand.self, DiffCommand.self, FmtCommand.self, ListCommand.self, ScaffoldCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

@main
enum Main {
    static func main() {
        // Worker mode first: nbrun started again by a process pool serves it and exits here.
        ProcessWorker.register(Catalog.remoteFunctions)
        ProcessWorker.standardOutputToStandardError = true  // stdout may be a notebook (`-o -`)
        ProcessWorker.runIfRequested()
        StopSignals.install()
        // A file-size limit must make a write fail (EFBIG, reported, original kept), not kill us.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try NBRun.parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            // A verb that failed has already said why on stderr.
            Terminal.exit(code)
        } catch {
            // ArgumentParser's own errors: help and version exit 0, usage errors exit 2
            // (its `validationFailure` is EX_USAGE, 64; nbrun documents 2).
            let code = NBRun.exitCode(for: error)
            let message = NBRun.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Terminal.exit(.success)
            }
            Terminal.printError(message.isEmpty ? "nbrun: \(error)" : message)
            Terminal.exit(code == .failure ? .failure : .usage)
        }
    }
}

extension ExitCode {
    /// A usage error: bad arguments, or `-o` given a folder of several notebooks.
    static let usage = ExitCode(2)
}
