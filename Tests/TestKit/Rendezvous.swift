import Foundation

/// Where threads (or cells) that must run side by side meet: each `arrive`s and waits for
/// the others. Parties run one after another never meet, and `arrive` then returns false. The limit only
/// keeps a broken engine from hanging the suite; on a loaded machine they meet later, never
/// not at all, so no speed is asserted.
package final class Rendezvous: @unchecked Sendable {
    // @unchecked: `arrived` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var arrived = 0
    private let parties: Int

    package init(parties: Int) {
        self.parties = parties
    }

    /// Counts this party in, then waits for all; true when all arrived.
    package func arrive(limit: TimeInterval = 30) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: limit)
        while arrived < parties, condition.wait(until: deadline) {}
        return arrived >= parties
    }

    /// Counts one party in without waiting (for an event, e.g. a cell having finished).
    package func signal() {
        condition.lock()
        arrived += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Waits, without counting in, until all parties arrived; true when they did.
    package func wait(limit: TimeInterval = 30) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: limit)
        while arrived < parties, condition.wait(until: deadline) {}
        return arrived >= parties
    }
}
