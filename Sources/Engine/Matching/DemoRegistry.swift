import Notebook
import PythonRuntime

/// The demos a run may use, looked up by the fingerprint of a cell's source.
package struct DemoRegistry: Sendable {
    package let demos: [Demo]
    /// The notebooks whose ports share a session (cells written step by step).
    private let sessionNotebooks: Set<String>

    package init(_ demos: [Demo]) {
        self.demos = demos
        sessionNotebooks = Set(demos.filter { $0.session != nil }.map(\.notebook))
    }

    /// How one `no-run` cell relates to the registered demos.
    package enum Match: Sendable {
        case matched(Demo)
        /// No demo has this source; `nearest` is the most similar demo, when one is close.
        case unmatched(nearest: Demo?, similarity: Double)
        /// Several demos of other notebooks have this very source.
        case ambiguous([Demo])
    }

    /// Which registered notebook's port a notebook is: the one of its name (`02-threads` for
    /// `notebooks/02-threads.ipynb`), else, for a copy under another name (`000.ipynb`), the
    /// registered notebook owning the most of its `no-run` cells' sources; nil when none does
    /// or two tie.
    package func owner(of notebook: Notebook, named name: String) -> String? {
        owner(of: notebook, named: name, fingerprints: Self.fingerprints(of: notebook))
    }

    private func owner(of notebook: Notebook, named name: String, fingerprints: [String: SourceFingerprint]) -> String?
    {
        if demos.contains(where: { $0.notebook == name }) { return name }
        var owned: [String: Int] = [:]
        for cell in notebook.cells where cell.type == .code && cell.tags.contains(noRunTag) {
            guard let digest = fingerprints[cell.source]?.digest else { continue }
            for notebook in Set(demos.filter { $0.fingerprint == digest }.map(\.notebook)) {
                owned[notebook, default: 0] += 1
            }
        }
        let ranked = owned.sorted { $0.value > $1.value }
        guard let first = ranked.first, ranked.count == 1 || ranked[1].value < first.value else { return nil }
        return first.key
    }

    /// Finds the demo for each `no-run` cell of a notebook stored as `notebookName` (its file
    /// name without `.ipynb`); see `match(_:notebookName:owner:)`.
    package func matcher(for notebook: Notebook, named notebookName: String) -> @Sendable (Cell) -> Match {
        // Each source is fingerprinted once, for the owner and for the match.
        let fingerprints = Self.fingerprints(of: notebook)
        let owner = owner(of: notebook, named: notebookName, fingerprints: fingerprints)
        return { [self] cell in
            match(cell, notebookName: notebookName, owner: owner, fingerprint: fingerprints[cell.source])
        }
    }

    /// The fingerprints of a notebook's `no-run` code cells, by source.
    private static func fingerprints(of notebook: Notebook) -> [String: SourceFingerprint] {
        var result: [String: SourceFingerprint] = [:]
        for cell in notebook.cells
        where cell.type == .code && cell.tags.contains(noRunTag) && result[cell.source] == nil {
            result[cell.source] = SourceFingerprint(source: cell.source)
        }
        return result
    }

    /// Finds the demo for a cell of notebook `notebookName` (file name without `.ipynb`),
    /// whose port is registered as `owner` (see `owner(of:named:)`; by default the notebook's
    /// own name). A source shared by several notebooks goes to the owner's demo. A session
    /// demo ports a cell of its own notebook only, and the cells of a session notebook match
    /// its own demos only: its `lock.release()` is not another notebook's `lock.release()`,
    /// whose session it could not be given.
    package func match(_ cell: Cell, notebookName: String, owner: String? = nil) -> Match {
        match(cell, notebookName: notebookName, owner: owner, fingerprint: nil)
    }

    private func match(_ cell: Cell, notebookName: String, owner: String?, fingerprint: SourceFingerprint?) -> Match {
        let owner = owner ?? notebookName
        let fingerprint = fingerprint ?? SourceFingerprint(source: cell.source)
        let eligible = demos.filter { demo in
            guard demo.notebook != owner else { return true }
            return demo.session == nil && !sessionNotebooks.contains(owner)
        }
        let candidates = eligible.filter { $0.fingerprint == fingerprint.digest }
        if candidates.count == 1, let only = candidates.first { return .matched(only) }
        if candidates.count > 1 {
            let own = candidates.filter { $0.notebook == owner }
            if own.count == 1, let only = own.first { return .matched(only) }
            return .ambiguous(candidates)
        }
        let scored = eligible.map { ($0, SourceFingerprint.similarity($0.sketch, fingerprint.sketch)) }
        let best = scored.max { lhs, rhs in
            // Prefer the notebook's own demos on a tie.
            lhs.1 != rhs.1 ? lhs.1 < rhs.1 : (lhs.0.notebook != owner && rhs.0.notebook == owner)
        }
        guard let best, best.1 >= 0.3 else { return .unmatched(nearest: nil, similarity: 0) }
        return .unmatched(nearest: best.0, similarity: best.1)
    }
}
