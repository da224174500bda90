import Notebook

/// How a cell is named in messages: `cell N` (1-based among all cells), its id, its first line.
public struct CellLabel: Sendable, CustomStringConvertible {
    public let position: Int
    public let id: String?
    public let firstLine: String

    public init(index: Int, cell: Cell) {
        position = index + 1
        id = cell.id
        firstLine = cell.firstSourceLine
    }

    public var description: String {
        "cell \(position)" + (id.map { " (id \($0))" } ?? "")
    }
}
