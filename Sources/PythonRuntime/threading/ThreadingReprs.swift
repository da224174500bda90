import Futures

// `repr()` of the `threading` look-alikes as CPython 3.11 writes it, with the object's
// address (`pythonAddress(of:)`) where CPython prints `id(obj)`.

extension threading.Lock: CustomStringConvertible {
    /// `<unlocked _thread.lock object at 0x7f...>`, `<locked ...>`.
    public var description: String {
        "<\(locked ? "locked" : "unlocked") _thread.lock object at \(pythonAddress(of: self))>"
    }
}

extension threading.RLock: CustomStringConvertible {
    /// `<unlocked _thread.RLock object owner=0 count=0 at 0x7f...>`; the owner is its
    /// `get_ident()`.
    public var description: String {
        let (owner, count) = state.withLock { ($0.owner, $0.count) }
        let status = owner == nil ? "unlocked" : "locked"
        return "<\(status) _thread.RLock object owner=\(owner ?? 0) count=\(count) at \(pythonAddress(of: self))>"
    }
}

extension threading.Condition: CustomStringConvertible {
    /// `<Condition(<its lock's repr>, waiters)>`.
    public var description: String {
        let lock =
            switch underlying {
            case .lock(let lock): lock.description
            case .rlock(let lock): lock.description
            }
        return "<Condition(\(lock), \(waiters.withLock { $0.count }))>"
    }
}

extension threading.Semaphore: CustomStringConvertible {
    /// `<threading.Semaphore at 0x7f...: value=2>`.
    public var description: String {
        "<threading.Semaphore at \(pythonAddress(of: self)): value=\(value.withLock { $0 })>"
    }
}

extension threading.BoundedSemaphore: CustomStringConvertible {
    /// `<threading.BoundedSemaphore at 0x7f...: value=2/3>`.
    public var description: String {
        let value = semaphore.value.withLock { $0 }
        return "<threading.BoundedSemaphore at \(pythonAddress(of: self)): value=\(value)/\(initialValue)>"
    }
}

extension threading.Event: CustomStringConvertible {
    /// `<threading.Event at 0x7f...: unset>`, `set`.
    public var description: String {
        "<threading.Event at \(pythonAddress(of: self)): \(isSet ? "set" : "unset")>"
    }
}

extension threading.Barrier: CustomStringConvertible {
    /// `<threading.Barrier at 0x7f...: waiters=1/3>`, or `broken`.
    public var description: String {
        let head = "<threading.Barrier at \(pythonAddress(of: self))"
        return broken ? head + ": broken>" : head + ": waiters=\(nWaiting)/\(parties)>"
    }
}
