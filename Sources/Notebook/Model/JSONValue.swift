/// A JSON document held losslessly: integers stay integers, reals stay reals, strings keep
/// their exact bytes (including NUL), and objects keep every key, known or not.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case real(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The object, if this is one.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The array, if this is one.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The integer, if this is one.
    public var intValue: Int64? {
        if case .int(let number) = self { return number }
        return nil
    }

    /// A short English name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .real: "a real number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: Equatable {
    /// Strings compare by their UTF-8 bytes, not by Swift's canonical equivalence:
    /// `"é"` and `"e\u{301}"` are different notebook contents.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.real(a), .real(b)): a.bitPattern == b.bitPattern || a == b && a != 0
        case let (.string(a), .string(b)): a.utf8.elementsEqual(b.utf8)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a == b
        default: false
        }
    }
}

/// A JSON object: its members in the order they were read. Keys are unique by bytes
/// (a later duplicate replaces the earlier one, as Python's `json` does).
public struct JSONObject: Sendable, Equatable {
    /// The members in file order (the order nbformat writes back).
    public private(set) var members: [(key: String, value: JSONValue)]

    /// An object with these members, in this order.
    public init(_ members: [(key: String, value: JSONValue)] = []) {
        // Linear even for wide objects: positions by key bytes, a later duplicate replacing.
        var positions: [[UInt8]: Int] = [:]
        var unique: [(key: String, value: JSONValue)] = []
        unique.reserveCapacity(members.count)
        for (key, value) in members {
            if let position = positions[Array(key.utf8)] {
                unique[position].value = value
            } else {
                positions[Array(key.utf8)] = unique.count
                unique.append((key, value))
            }
        }
        self.members = unique
    }

    /// Builds an object from members already known to have unique keys (the reader's path).
    init(uniqueMembers: [(key: String, value: JSONValue)]) {
        members = uniqueMembers
    }

    /// Whether the object has no member.
    public var isEmpty: Bool { members.isEmpty }
    /// The number of members.
    public var count: Int { members.count }
    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The member's value; setting one keeps its place (a new key goes last, `nil` removes it).
    public subscript(key: String) -> JSONValue? {
        get { index(of: key).map { members[$0].value } }
        set {
            switch (index(of: key), newValue) {
            case let (position?, value?): members[position].value = value
            case let (position?, nil): members.remove(at: position)
            case let (nil, value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Removes `key` and returns its value, like Python's `dict.pop(key, None)`.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(of: key) else { return nil }
        return members.remove(at: position).value
    }

    /// Replaces every member's value with `transform(key, value)`, in one linear pass.
    public mutating func updateValues(_ transform: (String, JSONValue) throws -> JSONValue) rethrows {
        for index in members.indices {
            members[index].value = try transform(members[index].key, members[index].value)
        }
    }

    /// The members sorted as Python's `sort_keys=True` sorts them: by code point, which is
    /// the order of the keys' UTF-8 bytes.
    public var sortedMembers: [(key: String, value: JSONValue)] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    private func index(of key: String) -> Int? {
        members.firstIndex { $0.key.utf8.elementsEqual(key.utf8) }
    }

    /// The same members in the same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return zip(lhs.sortedMembers, rhs.sortedMembers).allSatisfy { left, right in
            left.key.utf8.elementsEqual(right.key.utf8) && left.value == right.value
        }
    }
}
