import Futures
import Synchronization

extension threading {
    /// Python's `threading.local()` (a subclass with an `__init__`, as ports need a starting
    /// value): each thread sees its own `value`, made by `initial` on its first use there, as a
    /// `local` subclass's `__init__` runs once per thread.
    ///
    /// A value lives on the thread's `threading.Thread` (MainThread for a cell's own thread, the
    /// stand-in for a pool worker), so it goes when that does, as CPython's do with their
    /// thread. Unlike CPython's, a value outlives this object on a thread that lives on.
    public final class local<Value: Sendable>: Sendable {
        private let key = keys.add(1, ordering: .relaxed).newValue
        private let initial: @Sendable () -> Value

        /// `threading.local()`, with `initial` making each thread's value on its first use.
        public init(_ initial: @escaping @Sendable () -> Value) {
            self.initial = initial
        }

        /// The calling thread's value.
        public var value: Value {
            get {
                let thread = threading.currentThread()
                if let value = thread.locals.withLock({ $0[key] }) as? Value { return value }
                let value = initial()
                thread.locals.withLock { $0[key] = value }
                return value
            }
            set {
                threading.currentThread().locals.withLock { $0[key] = newValue }
            }
        }
    }
}

/// Distinct keys for `threading.local`s, process-wide.
private let keys = Atomic<Int>(0)
