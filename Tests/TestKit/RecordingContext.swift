import Dispatch
import Futures

/// A context that logs what Futures tells it, with the thread each hook ran on.
package final class RecordingContext: AmbientContext {
    package let name: String
    private let log = Locked<[String]>([])
    /// Signalled on every `willBlock`, so a test can act once a waiter really blocks.
    package let blocked = DispatchSemaphore(value: 0)

    package init(_ name: String) {
        self.name = name
    }

    package var events: [String] { log.withLock { $0 } }

    package func enter() { record("enter") }
    package func exit() { record("exit") }
    package func willBlock() {
        record("willBlock")
        blocked.signal()
    }
    package func didUnblock() { record("didUnblock") }

    private func record(_ event: String) {
        log.withLock { $0.append(event) }
    }
}
