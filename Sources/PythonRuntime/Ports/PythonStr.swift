import PythonRepr

/// Python's `str(value)` for the Swift values a port prints (`ctx.print`): `True`, `None`,
/// `3` for `Optional(3)`, `0.1`, `['a', 1]`, `{'a': 1}`, `(1, 'x')` for a tuple, a `PyValue`
/// as its `str`, a string as itself. A value with no Python form (a Swift struct, a class)
/// prints as Swift describes it: write the port so that it prints Python values.
public func pythonStr(_ value: Any) -> String {
    switch value {
    case let text as String: text
    case let text as Substring: String(text)
    case let value as PyValue: value.str
    default: pythonRepr(value)
    }
}

/// Python's `repr(value)` for the Swift values a port prints: strings quoted as Python
/// quotes them, containers as lists, dicts and tuples of their items' `repr`.
public func pythonRepr(_ value: Any) -> String {
    switch value {
    case let text as String: PyValue.str(text).repr
    case let text as Substring: PyValue.str(String(text)).repr
    case let value as PyValue: value.repr
    case let flag as Bool: flag ? "True" : "False"
    case let number as Double: PythonFloat.pythonRepr(number)
    case let number as Float: PythonFloat.pythonRepr(Double(number))
    case let thread as threading.Thread: thread.description
    default: mirrored(value)
    }
}

/// Optionals, arrays, sets, dictionaries and tuples, through their mirror.
private func mirrored(_ value: Any) -> String {
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional:
        guard let wrapped = mirror.children.first?.value else { return "None" }
        return pythonRepr(wrapped)
    case .collection:
        return "[" + mirror.children.map { pythonRepr($0.value) }.joined(separator: ", ") + "]"
    case .set:
        let items = mirror.children.map { pythonRepr($0.value) }
        return items.isEmpty ? "set()" : "{" + items.joined(separator: ", ") + "}"
    case .dictionary:
        let entries = mirror.children.map { entry -> String in
            let pair = Array(Mirror(reflecting: entry.value).children)
            guard pair.count == 2 else { return pythonRepr(entry.value) }
            return pythonRepr(pair[0].value) + ": " + pythonRepr(pair[1].value)
        }
        return "{" + entries.joined(separator: ", ") + "}"
    case .tuple:
        let items = mirror.children.map { pythonRepr($0.value) }
        return items.count == 1 ? "(\(items[0]),)" : "(" + items.joined(separator: ", ") + ")"
    default:
        return String(describing: value)
    }
}

extension PyValue {
    /// Python's `str(value)`: a string's text itself, every other value its `repr`.
    public var str: String {
        if case .str(let text) = self { return text }
        return repr
    }
}
