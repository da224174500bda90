import ArgumentParser
import Engine
import Foundation
import Futures
import Processes
import PythonRuntime
import SystemCalls

/// `nbrun`: runs the `no-run` cells of Jupyter notebooks with registered Swift ports.
/// With no verb, the arguments are notebooks to run (`nbrun 02-threads.ipynb`).
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nbrun",
        abstract: "Run the no-run cells of Jupyter notebooks through registered Swift ports.",
        discussion: """
            Exit status: 0 success, 1 a failed run, check or bad notebook, 2 a usage error.
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CheckCommand.self, DiffCommand.self, FmtCommand.self, ListCommand.self,
            ScaffoldCommand.self, InitCommand.self, VerifyCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )
}

/// The whole nbrun command line, for a course's own executable.
///
/// A course's `main.swift` is one call: `NBRun.main(course: MyCourse.course)`. The same
/// binary is also the course's worker process for process pools, started again by nbrun
/// itself, so `main` serves that first when asked to.
public enum NBRun {
    /// The course this process runs, set once by `main(course:)` before any verb runs.
    private static let installed = Locked<DemoRegistry?>(nil)

    /// The servers of the course given to `main(course:)`.
    private static let installedServices = Locked<[Service]>([])

    /// The demos of the course given to `main(course:)`.
    static var registry: DemoRegistry {
        installed.withLock { $0 } ?? DemoRegistry([])
    }

    /// Runs `body` with the course's services that `plans` need started and answering, and
    /// stops them after it (for `run`, `check` and `verify`). A service that cannot be started
    /// is one line on stderr naming it, and exit 1 before `body` runs: nothing is written.
    static func withServices<R>(for plans: [RunPlan], _ body: () throws -> R) throws -> R {
        let needed = Services.needed(by: plans, among: installedServices.withLock { $0 })
        do {
            return try Services.with(needed, body)
        } catch let error as ServiceError {
            Terminal.printError("nbrun: \(error)")
            throw ExitCode.failure
        }
    }

    /// Parses the process's arguments, runs the verb with `course`'s ports and exits with
    /// nbrun's exit status (0, 1 a failed run or check, 2 a usage error).
    public static func main(course: Course) -> Never {
        installed.withLock { $0 = DemoRegistry(course.demos) }
        installedServices.withLock { $0 = course.services }
        // Worker mode first: nbrun started again by a process pool serves it and exits here.
        ProcessWorker.register(course.remoteFunctions)
        ProcessWorker.standardOutputToStandardError = true  // stdout may be a notebook (`-o -`)
        ProcessWorker.runIfRequested()
        StopSignals.install()
        // A file-size limit must make a write fail (EFBIG, reported, original kept), not kill us.
        Syscall.ignoreSignal(SIGXFSZ)
        do {
            var command = try RootCommand.parseAsRoot()
            try command.run()
            Terminal.exit(.success)
        } catch let code as ExitCode {
            // A verb that failed has already said why on stderr.
            Terminal.exit(code)
        } catch {
            // ArgumentParser's own errors: help and version exit 0, usage errors exit 2
            // (its `validationFailure` is EX_USAGE, 64; nbrun documents 2).
            let code = RootCommand.exitCode(for: error)
            let message = RootCommand.fullMessage(for: error)
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
