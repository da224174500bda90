import ArgumentParser
import Engine

/// What went wrong while a verb ran. Each problem is said on stderr as it is found, in the
/// form every verb uses (`nbrun: PATH: what is wrong`), and kept; the verb's exit status is
/// decided from them in one place (`exitStatus`), not by a flag each step must remember to set.
final class Problems {
    enum Kind {
        /// A path that cannot be expanded or read, a notebook with a stale or unported cell.
        case input
        /// Rules (`nbrun.json`, `metadata.nbrun`, `--config`) that cannot be used.
        case rules
        /// A cell that raised or timed out.
        case cell
        /// A file that cannot be written.
        case output
        /// Outputs that differ from the committed ones (`check`, `diff`, `fmt --check`).
        case regression
    }

    struct Problem {
        let kind: Kind
        /// Whether it makes the verb fail (a cell error under `--allow-errors` does not).
        let fails: Bool
    }

    private(set) var all: [Problem] = []

    /// Says `error` about `path` on stderr and records it.
    func report(_ path: String, _ error: any Error, as kind: Kind, fails: Bool = true) {
        Terminal.report(path, error)
        all.append(Problem(kind: kind, fails: fails))
    }

    /// Says a whole message on stderr (one that names its own file) and records it.
    func report(_ error: any Error, as kind: Kind) {
        Terminal.printError("nbrun: \(error)")
        all.append(Problem(kind: kind, fails: true))
    }

    /// Records a problem the verb has already shown in its own report (a diff on stdout).
    func record(_ kind: Kind) {
        all.append(Problem(kind: kind, fails: true))
    }

    func count(_ kind: Kind) -> Int {
        all.count { $0.kind == kind }
    }

    /// 0 when nothing failed, 1 when anything did (a failed run, a regression, a file that
    /// could not be read or written). Usage errors (2) never get this far.
    var exitStatus: ExitCode {
        all.contains(where: \.fails) ? .failure : .success
    }

    /// Ends the verb: throws its exit status when it is not success.
    func finish() throws {
        if exitStatus != .success { throw exitStatus }
    }
}

/// A problem that is only a sentence.
struct Complaint: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension DriftError.Problem: Error {}
extension RunResult.CellFailure: Error {}
