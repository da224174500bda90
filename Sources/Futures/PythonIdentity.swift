/// `hex(id(obj))` as CPython's reprs print it (`<concurrent.futures.Future at 0x7f... state=pending>`): the
/// object's address, which a test masks, as it differs on every run in CPython too.
public func pythonAddress(of object: AnyObject) -> String {
    "0x" + String(UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque()), radix: 16)
}

/// A value that knows its Python type's name (`type(x).__name__`), for the reprs that
/// print it (`<concurrent.futures.Future at 0x... state=finished returned int>`).
public protocol PythonTyped {
    /// `type(self).__name__`.
    var pythonTypeName: String { get }
}

/// `type(value).__name__` for the Swift values that stand for Python's: `int`, `float`,
/// `str`, `bool`, `NoneType` (nil, `Void`), `list`, `tuple`, `dict`, `set`; else the Swift
/// type's name.
public func pythonTypeName(of value: Any) -> String {
    if let typed = value as? any PythonTyped { return typed.pythonTypeName }
    switch value {
    case is Bool: return "bool"
    case is any BinaryInteger: return "int"
    case is any BinaryFloatingPoint: return "float"
    case is String, is Substring, is Character: return "str"
    case is Void: return "NoneType"
    default: break
    }
    let mirror = Mirror(reflecting: value)
    switch mirror.displayStyle {
    case .optional: return mirror.children.first.map { pythonTypeName(of: $0.value) } ?? "NoneType"
    case .collection: return "list"
    case .tuple: return "tuple"
    case .dictionary: return "dict"
    case .set: return "set"
    default: return String(describing: type(of: value))
    }
}

extension concurrent.futures.Future: CustomStringConvertible {
    /// `repr(future)` as 3.11's `concurrent.futures.Future.__repr__` writes it:
    /// `<concurrent.futures.Future at 0x7f... state=pending>`, `state=finished returned int`,
    /// `state=finished raised ValueError`, `state=cancelled`.
    public var description: String {
        let head = "<Future at \(pythonAddress(of: self)) state="
        if cancelled { return head + "cancelled>" }
        if running { return head + "running>" }
        guard done else { return head + "pending>" }
        if let error = try? exception(timeout: 0) {
            return head + "finished raised \(pythonExceptionName(of: error))>"
        }
        let value = (try? result(timeout: 0)).map { pythonTypeName(of: $0) } ?? "NoneType"
        return head + "finished returned \(value)>"
    }
}
