extension threading {
    /// Python's `threading.Timer(interval, function)`: a thread that calls `function` after
    /// `interval` seconds unless `cancel()` came first. Like CPython's (a `Thread` subclass with
    /// no target), its default name is `Thread-N`. The wait is an `Event.wait`, so it releases
    /// the GIL.
    public final class Timer: Sendable {
        /// The thread it runs on (`Timer` is a `Thread` in Python): for `ident`, `isAlive`, ...
        public let thread: threading.Thread
        private let finished = threading.Event()

        /// `threading.Timer(interval, function)`: runs `function` after `interval` seconds once started.
        public init(_ interval: Double, name: String? = nil, _ function: @escaping @Sendable () -> Void) {
            let finished = finished
            thread = threading.Thread(name: name) {
                finished.wait(timeout: interval)
                if !finished.isSet { function() }
                finished.set()
            }
        }

        /// `Timer.cancel()`: stops the timer if it is still waiting.
        public func cancel() {
            finished.set()
        }

        /// `Timer.start()`.
        public func start() {
            thread.start()
        }

        /// `Timer.join(timeout=None)`.
        public func join(timeout: Double? = nil) {
            thread.join(timeout: timeout)
        }

        /// `Timer.name`.
        public var name: String { thread.name }

        /// `Timer.is_alive()`.
        public var isAlive: Bool { thread.isAlive }
    }
}
