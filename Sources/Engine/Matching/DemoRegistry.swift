import Notebook
import PythonRuntime

/// The demos a run may use, looked up by the fingerprint of a cell's source.
package struct DemoRegistry: Sendable {
    package let demos: [Demo]

    package init(_ demos: [Demo]) {
        self.demos = demos
    }

    /// How one `no-run` cell relates to the registered demos.
    package enum Match: Sendable {
        case matched(Demo)
        /// No demo has this source; `nearest` is the most similar demo, when one is close.
        case unmatched(nearest: Demo?, similarity: Double)
        /// Several demos of other notebooks have this very source.
        case ambiguous([Demo])
    }

    /// Finds the demo for a cell of notebook `notebookName` (file name without `.ipynb`).
    /// A source shared by several notebooks goes to that notebook's own demo.
    package func match(_ cell: Cell, notebookName: String) -> Match {
        let fingerprint = SourceFingerprint(source: cell.source)
        let candidates = demos.filter { $0.fingerprint == fingerprint.digest }
        if candidates.count == 1, let only = candidates.first { return .matched(only) }
        if candidates.count > 1 {
            let own = candidates.filter { $0.notebook == notebookName }
            if own.count == 1, let only = own.first { return .matched(only) }
            return .ambiguous(candidates)
        }
        let scored = demos.map { ($0, SourceFingerprint.similarity($0.sketch, fingerprint.sketch)) }
        let best = scored.max { lhs, rhs in
            // Prefer the notebook's own demos on a tie.
            lhs.1 != rhs.1 ? lhs.1 < rhs.1 : (lhs.0.notebook != notebookName && rhs.0.notebook == notebookName)
        }
        guard let best, best.1 >= 0.3 else { return .unmatched(nearest: nil, similarity: 0) }
        return .unmatched(nearest: best.0, similarity: best.1)
    }
}
