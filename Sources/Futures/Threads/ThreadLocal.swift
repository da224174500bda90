import SystemCalls

/// One object per OS thread, made on the thread's first use and released when the thread
/// exits (a thread-specific key whose destructor releases it). Only its own thread touches
/// its object, so the object needs no lock. `Ambient` keeps a thread's context in one; the
/// Python runtime keeps `threading.current_thread()`'s answer in another.
package final class ThreadLocal<Value: AnyObject>: Sendable {
    private let key: ThreadSpecificKey
    private let make: @Sendable () -> Value

    /// - Parameter make: builds a thread's object on its first use.
    /// - Throws: `pthread_key_create`'s error, when the process has used up its
    ///   `PTHREAD_KEYS_MAX` (1024) keys.
    package init(_ make: @escaping @Sendable () -> Value) throws(SystemCallError) {
        key = try ThreadSpecificKey { raw in
            guard let raw else { return }
            Unmanaged<AnyObject>.fromOpaque(raw).release()
        }
        self.make = make
    }

    /// A process-wide one, made once at start-up: without its key the program cannot run, so
    /// a failure ends it with the error on stderr (`SystemCallError.exitProgram`).
    package static func processWide(_ make: @escaping @Sendable () -> Value) -> ThreadLocal {
        do {
            return try ThreadLocal(make)
        } catch {
            error.exitProgram()
        }
    }

    /// The calling thread's object if it has one already, without making it.
    package var existing: Value? {
        key.value.map { Unmanaged<Value>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The calling thread's object.
    package var current: Value {
        if let raw = key.value {
            return Unmanaged<Value>.fromOpaque(raw).takeUnretainedValue()
        }
        let value = make()
        key.value = Unmanaged.passRetained(value).toOpaque()
        return value
    }
}
