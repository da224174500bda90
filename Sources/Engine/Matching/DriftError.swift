import PythonRuntime

/// `no-run` cells that no registered demo ports (or that several do).
public struct DriftError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, CustomStringConvertible {
        public let cell: CellLabel
        public let nearest: Demo?
        public let similarity: Double
        public let ambiguous: [Demo]

        public var description: String {
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

    public let problems: [Problem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
