import Notebook

/// How a cell is named in messages: `cell N` (1-based among all cells), its id, its first line.
package struct CellLabel: Sendable, CustomStringConvertible {
    package let position: Int
    package let id: String?
    package let firstLine: String

    package init(index: Int, cell: Cell) {
        position = index + 1
        id = cell.id
        firstLine = cell.firstSourceLine
    }

    package var description: String {
        "cell \(position)" + (id.map { " (id \($0))" } ?? "")
    }
}
