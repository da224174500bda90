import Foundation
import PythonRuntime
import Synchronization

/// Python's `str(bool)`.
package func py(_ flag: Bool) -> String {
    flag ? "True" : "False"
}

/// Python's `str(bool)`.
package func pyBool(_ value: Bool) -> String { value ? "True" : "False" }

/// `e.args` of a `asyncio.CancelledError`, as Python prints the tuple.
package func pyArgs(_ error: asyncio.CancelledError) -> String {
    error.msg.map { "('\($0)',)" } ?? "()"
}

/// `print(type(e).__name__, repr(str(e)))` for what `body` raised.
package func reprRaised(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch {
        let message = pythonExceptionMessage(of: error)
        let quote = message.contains("'") ? "\"" : "'"
        return "\(pythonExceptionName(of: error)) \(quote)\(message)\(quote)"
    }
}

/// An integer shared between test threads (an atomic in a class, so closures can hold it).
package final class Shared: Sendable {
    private let storage: Atomic<Int>

    package init(_ value: Int) {
        storage = Atomic(value)
    }

    package var value: Int { storage.load(ordering: .sequentiallyConsistent) }

    package func set(_ newValue: Int) { storage.store(newValue, ordering: .sequentiallyConsistent) }

    /// Adds `delta`; returns the new value.
    package func add(_ delta: Int) -> Int { storage.add(delta, ordering: .sequentiallyConsistent).newValue }
}
