import Glibc

/// One object per OS thread, made on the thread's first use and released when the thread
/// exits (a pthread key whose destructor releases it). Only its own thread touches its
/// object, so the object needs no lock. `Ambient` keeps a thread's context in one; the
/// Python runtime keeps `threading.current_thread()`'s answer in another.
package final class ThreadLocal<Value: AnyObject>: Sendable {
    private let key: pthread_key_t
    private let make: @Sendable () -> Value

    /// - Parameter make: builds a thread's object on its first use.
    package init(_ make: @escaping @Sendable () -> Value) {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<AnyObject>.fromOpaque(raw).release()
        }
        // Only fails when the process has used up its PTHREAD_KEYS_MAX (1024) keys: these
        // are made once each, at start-up.
        precondition(status == 0, "pthread_key_create failed: \(status)")
        self.key = key
        self.make = make
    }

    /// The calling thread's object if it has one already, without making it.
    package var existing: Value? {
        pthread_getspecific(key).map { Unmanaged<Value>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The calling thread's object.
    package var current: Value {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<Value>.fromOpaque(raw).takeUnretainedValue()
        }
        let value = make()
        pthread_setspecific(key, Unmanaged.passRetained(value).toOpaque())
        return value
    }
}
