/// CPython 3.11's view of Unicode where it differs from Swift's: Swift's tables follow newer
/// Unicode versions, so a character assigned since (U+1FAE8 in Unicode 15) is printable to
/// Swift but escaped by CPython's `repr`.
public enum PythonUnicode {
    /// `str.isprintable()` for one character, by CPython 3.11's tables (Unicode 14.0).
    public static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        // Binary search for the last range starting at or below `value`.
        var low = 0
        var high = unprintableBounds.count / 2
        while low < high {
            let middle = (low + high) / 2
            if unprintableBounds[2 * middle] <= value {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else { return true }
        return value > unprintableBounds[2 * (low - 1) + 1]
    }
}
