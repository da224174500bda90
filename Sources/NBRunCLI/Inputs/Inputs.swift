import ArgumentParser
import Engine
import Notebook

/// Turning command-line arguments into notebooks, shared by every verb: each path that
/// cannot be expanded, read or matched is reported to `problems` and left out.
enum Inputs {
    static func paths(_ arguments: [String], problems: Problems) -> [String] {
        do {
            return try NotebookPaths.expand(arguments)
        } catch {
            problems.report(error, as: .input)
            return []
        }
    }

    static func notebook(at path: String, problems: Problems) -> Notebook? {
        do {
            return try NotebookFile.read(path)
        } catch {
            problems.report(path, error, as: .input)
            return nil
        }
    }

    /// Reads and matches each notebook; a notebook with a stale or unported cell is left out.
    /// `drift` also hears of each refused notebook (for CI annotations).
    static func plans(
        for paths: [String], registry: DemoRegistry, problems: Problems,
        drift: ((String, DriftError) -> Void)? = nil
    ) -> [RunPlan] {
        paths.compactMap { path -> RunPlan? in
            guard let notebook = notebook(at: path, problems: problems) else { return nil }
            do throws(DriftError) {
                return try RunPlan(path: path, notebook: notebook, registry: registry)
            } catch {
                error.problems.forEach { problems.report(path, $0, as: .input) }  // one line per stale cell
                drift?(path, error)
                return nil
            }
        }
    }

    /// `-o` takes one notebook: a usage error when the arguments expanded to several.
    static func requireOne(_ paths: [String], for output: String?, argument: String) throws {
        guard output != nil, paths.count > 1 else { return }
        Terminal.printError("nbrun: -o/--output takes exactly one notebook, and \(argument) holds \(paths.count)")
        throw ExitCode.usage
    }
}
