import Notebook
import PythonRuntime

/// The tag that marks a code cell whose output nbrun produces offline.
package let noRunTag = "no-run"

/// The tag that marks a cell expected to raise: its error is its output (nbclient's rule),
/// not a failure, and a session goes on after it.
package let raisesExceptionTag = "raises-exception"

/// The tag that asks for a picture of the cell's threads over time: after its other outputs
/// the cell gets a `display_data` with the timeline as `image/svg+xml` (see `TimelineSVG`).
package let timelineTag = "nbrun-timeline"

/// A notebook whose `no-run` cells have all been matched to demos, ready to run.
package struct RunPlan: Sendable {
    package struct Step: Sendable {
        /// Index into `notebook.cells`.
        package let cellIndex: Int
        package let demo: Demo
    }

    package let path: String
    package let notebook: Notebook
    package let steps: [Step]

    /// The notebook's name as demos know it: its file name without `.ipynb`.
    package static func notebookName(of path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".ipynb") ? String(file.dropLast(6)) : file
    }

    /// Matches every `no-run` code cell; any cell without exactly one demo is a `DriftError`
    /// and nothing is planned, so a stale port never runs and the file is never written.
    package init(path: String, notebook: Notebook, registry: DemoRegistry) throws(DriftError) {
        let match = registry.matcher(for: notebook, named: Self.notebookName(of: path))
        var steps: [Step] = []
        var problems: [DriftError.Problem] = []
        for (index, cell) in notebook.cells.enumerated() where cell.type == .code && cell.tags.contains(noRunTag) {
            switch match(cell) {
            case .matched(let demo):
                steps.append(Step(cellIndex: index, demo: demo))
            case let .unmatched(nearest, similarity):
                problems.append(
                    .init(
                        cell: CellLabel(index: index, cell: cell), nearest: nearest, similarity: similarity,
                        ambiguous: []))
            case .ambiguous(let demos):
                problems.append(
                    .init(cell: CellLabel(index: index, cell: cell), nearest: nil, similarity: 0, ambiguous: demos))
            }
        }
        guard problems.isEmpty else { throw DriftError(problems: problems) }
        self.path = path
        self.notebook = notebook
        self.steps = steps
    }
}
