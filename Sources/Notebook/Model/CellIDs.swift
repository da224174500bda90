/// Cell ids for nbformat 4.5+ notebooks whose cells lack them.
///
/// nbformat invents random ids; nbrun derives them from the cell's type and source, so the
/// same notebook gets the same ids on every run and machine. An id that would repeat one
/// already in the notebook is re-derived with a counter. Ids are 8 lowercase hex digits,
/// valid under the schema's `^[a-zA-Z0-9-_]+$`, 1 to 64 characters.
extension Notebook {
    /// Fills in missing cell ids (4.5+ only); returns how many were added.
    @discardableResult
    public mutating func assignMissingCellIDs() -> Int {
        guard usesCellIDs else { return 0 }
        var taken = Set(cells.compactMap(\.id))
        var added = 0
        for index in cells.indices where cells[index].id == nil {
            let cell = cells[index]
            var attempt = 0
            var candidate: String
            repeat {
                let seed = "\(cell.type.name)\u{0}\(attempt)\u{0}\(cell.source)"
                candidate = String(StableHash.fnv64(seed) >> 32, radix: 16)
                candidate = String(repeating: "0", count: 8 - candidate.count) + candidate
                attempt += 1
            } while taken.contains(candidate)
            taken.insert(candidate)
            cells[index].id = candidate
            added += 1
        }
        return added
    }
}
