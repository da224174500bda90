// `repr()` of the asyncio look-alikes as CPython 3.11 writes it:
// `<asyncio.locks.Lock object at 0x7f... [locked, waiters:1]>`.

/// `<asyncio.locks.NAME object at 0x... [EXTRA]>`, with `, waiters:N` when some wait.
private func asyncioRepr(_ object: AnyObject, _ name: String, _ extra: String, waiters: Int) -> String {
    let waiting = waiters > 0 ? ", waiters:\(waiters)" : ""
    return "<asyncio.locks.\(name) object at \(pythonAddress(of: object)) [\(extra)\(waiting)]>"
}

extension asyncio.Lock: CustomStringConvertible {
    /// `<asyncio.locks.Lock object at 0x... [unlocked]>`.
    public var description: String {
        asyncioRepr(self, "Lock", locked ? "locked" : "unlocked", waiters: state.value.waiters.count)
    }
}

extension asyncio.Event: CustomStringConvertible {
    /// `<asyncio.locks.Event object at 0x... [unset]>`.
    public var description: String {
        asyncioRepr(self, "Event", isSet ? "set" : "unset", waiters: state.value.waiters.count)
    }
}

extension asyncio.Semaphore: CustomStringConvertible {
    /// `<asyncio.locks.Semaphore object at 0x... [unlocked, value:2]>`.
    public var description: String {
        asyncioRepr(
            self, "Semaphore", locked ? "locked" : "unlocked, value:\(state.value.permits)",
            waiters: state.value.waiters.count)
    }
}
