import BigInt

/// How Python compares values: for a dict's keys and a set's elements (`1 == True == 1.0`,
/// one key), and for the sort IPython applies to a set before printing it.
extension PyValue {
    /// What a hashable value is equal to, as a Swift `Hashable`: equal identities are equal
    /// Python keys. Nil for what never equals another key: unhashable values (a list as a
    /// key is a `TypeError` in Python) and NaN (never equal to itself, unless the very same
    /// object).
    private enum Identity: Hashable {
        case none
        case integer(BigInt)
        case real(Double)
        case str([UInt32])
        case bytes([UInt8])
        case tuple([Identity])
        case frozenset(Set<Identity>)
    }

    private var identity: Identity? {
        switch self {
        case .none: return Identity.none
        case .bool(let flag): return .integer(flag ? 1 : 0)
        case .int(let number): return .integer(BigInt(number))
        case .bigInt(let number): return .integer(number)
        case .float(let number):
            if number.isNaN { return nil }
            if number.isFinite, number == number.rounded(.towardZero), let exact = BigInt(exactly: number) {
                return .integer(exact)
            }
            return .real(number)
        case .str(let text): return .str(text.unicodeScalars.map(\.value))
        case .bytes(let bytes): return .bytes(bytes)
        case .tuple(let items):
            var identities: [Identity] = []
            for item in items {
                guard let identity = item.identity else { return nil }
                identities.append(identity)
            }
            return .tuple(identities)
        case .frozenset(let items):
            var identities = Set<Identity>()
            for item in items {
                guard let identity = item.identity else { return nil }
                identities.insert(identity)
            }
            return .frozenset(identities)
        case .list, .dict, .set: return nil
        }
    }

    /// A dict's entries as Python keeps them: a key equal to an earlier one keeps the earlier
    /// key in its place and takes the later value.
    static func merged(_ entries: [(key: PyValue, value: PyValue)]) -> [(key: PyValue, value: PyValue)] {
        var positions: [Identity: Int] = [:]
        var result: [(key: PyValue, value: PyValue)] = []
        for entry in entries {
            if let identity = entry.key.identity {
                if let position = positions[identity] {
                    result[position].value = entry.value
                    continue
                }
                positions[identity] = result.count
            }
            result.append(entry)
        }
        return result
    }

    /// A set's elements as Python keeps them: the first of equal elements.
    static func distinct(_ items: [PyValue]) -> [PyValue] {
        var seen = Set<Identity>()
        return items.filter { item in
            guard let identity = item.identity else { return true }
            return seen.insert(identity).inserted
        }
    }

    /// Python's `a == b` (numbers by value across bool, int and float; containers by content).
    func pythonEquals(_ other: PyValue) -> Bool {
        if let left = number, let right = other.number { return Self.compare(left, right) == 0 }
        switch (self, other) {
        case (.none, .none): return true
        case let (.str(a), .str(b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.bytes(a), .bytes(b)): return a == b
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pythonEquals($1) }
        case let (.set(a), .set(b)), let (.frozenset(a), .frozenset(b)), let (.set(a), .frozenset(b)),
            let (.frozenset(a), .set(b)):
            let (left, right) = (Self.distinct(a), Self.distinct(b))
            return left.count == right.count && left.allSatisfy { item in right.contains { $0.pythonEquals(item) } }
        case let (.dict(a), .dict(b)):
            let (left, right) = (Self.merged(a), Self.merged(b))
            return left.count == right.count
                && left.allSatisfy { entry in
                    right.contains { $0.key.pythonEquals(entry.key) && $0.value.pythonEquals(entry.value) }
                }
        default: return false
        }
    }

    /// The `TypeError` of `a < b` between values Python cannot order.
    struct Unorderable: Error {}

    /// Python's `a < b`; throws where Python raises `TypeError`.
    func pythonLess(_ other: PyValue) throws -> Bool {
        if let left = number, let right = other.number {
            guard let order = Self.compare(left, right) else { return false }  // NaN
            return order < 0
        }
        switch (self, other) {
        case let (.str(a), .str(b)):
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
        case let (.bytes(a), .bytes(b)): return a.lexicographicallyPrecedes(b)
        case let (.list(a), .list(b)), let (.tuple(a), .tuple(b)):
            // The first items that differ decide; else the shorter sequence is the smaller.
            for (x, y) in zip(a, b) where !x.pythonEquals(y) { return try x.pythonLess(y) }
            return a.count < b.count
        case let (.set(a), .set(b)), let (.frozenset(a), .frozenset(b)), let (.set(a), .frozenset(b)),
            let (.frozenset(a), .set(b)):
            // A proper subset.
            let (left, right) = (Self.distinct(a), Self.distinct(b))
            return left.count < right.count && left.allSatisfy { item in right.contains { $0.pythonEquals(item) } }
        default: throw Unorderable()
        }
    }

    /// `str(value)`: a str's own text, anything else's repr.
    var pythonStr: String {
        if case .str(let text) = self { return text }
        return repr
    }

    /// IPython's `_sorted_for_pprint`: `sorted(items)`, else sorted by `str`, else as given.
    static func sortedForPrint(_ items: [PyValue]) -> [PyValue] {
        if let sorted = try? items.sorted(by: { try $0.pythonLess($1) }) { return sorted }
        return items.map { ($0, $0.pythonStr.unicodeScalars.map(\.value)) }
            .sorted { $0.1.lexicographicallyPrecedes($1.1) }
            .map(\.0)
    }

    // MARK: Numbers

    private enum Number {
        case integer(BigInt)
        case real(Double)
    }

    private var number: Number? {
        switch self {
        case .bool(let flag): .integer(flag ? 1 : 0)
        case .int(let number): .integer(BigInt(number))
        case .bigInt(let number): .integer(number)
        case .float(let number): .real(number)
        default: nil
        }
    }

    /// -1, 0 or 1 as `a` is below, equal to or above `b`, exactly (an int against a float is
    /// compared without rounding, as CPython does); nil when either is NaN.
    private static func compare(_ a: Number, _ b: Number) -> Int? {
        switch (a, b) {
        case let (.integer(x), .integer(y)): return x < y ? -1 : (x == y ? 0 : 1)
        case let (.real(x), .real(y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.integer(x), .real(y)): return compare(x, y)
        case let (.real(x), .integer(y)): return compare(y, x).map { -$0 }
        }
    }

    private static func compare(_ x: BigInt, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        if y.isInfinite { return y > 0 ? -1 : 1 }
        let floor = y.rounded(.down)
        guard let whole = BigInt(exactly: floor) else { return nil }
        if x < whole { return -1 }
        if x > whole { return 1 }
        return y > floor ? -1 : 0
    }
}

extension PyValue: PythonTyped {
    /// `type(value).__name__`.
    public var pythonTypeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .str: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .set: "set"
        case .frozenset: "frozenset"
        }
    }
}
