import PythonRuntime

/// `no-run` cells that no registered demo ports (or that several do).
package struct DriftError: Error, Sendable, CustomStringConvertible {
    package struct Problem: Sendable, CustomStringConvertible {
        package let cell: CellLabel
        package let nearest: Demo?
        package let similarity: Double
        package let ambiguous: [Demo]

        package var description: String {
            let line = cell.firstLine.count > 60 ? String(cell.firstLine.prefix(57)) + "..." : cell.firstLine
            if !ambiguous.isEmpty {
                let names = ambiguous.map(\.id).joined(separator: ", ")
                return "\(cell) \"\(line)\": several demos match (\(names))"
            }
            var text = "\(cell) \"\(line)\": no registered demo matches this no-run cell"
            if let nearest {
                text +=
                    "; nearest is \(nearest.id) (\(Int((similarity * 100).rounded()))% of lines alike): its port is stale"
            }
            return text
        }
    }

    package let problems: [Problem]
    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
