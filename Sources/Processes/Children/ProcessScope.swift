import Futures

#if canImport(Glibc)
    import Glibc
#endif

/// The child processes started on behalf of one piece of work (a notebook cell, a request),
/// so they can be ended together without touching anyone else's.
///
/// A pool or `multiprocessing.Process` belongs to the scope current on the thread that
/// creates it: the scope carried by that thread's `Ambient` context (see
/// `ProcessScopeCarrying`), which the context's threads and pool tasks inherit. Every worker
/// the pool starts later, from whichever thread, joins that scope. `terminate()` SIGKILLs the
/// scope's live children and closes it: a child started in it afterwards is killed at once,
/// so work that goes on after being abandoned cannot leave new processes behind.
///
///     let scope = ProcessScope()
///     Ambient.run(in: scope) { startWork() }   // pools created in here are the scope's
///     scope.terminate()                         // their workers die; other pools' don't
package final class ProcessScope: ProcessScopeCarrying {
    private let state = Locked<(closed: Bool, pids: Set<pid_t>)>((false, []))
    /// Told of each child adopted (`true`) and, once reaped, of its end (`false`).
    private let observer: (@Sendable (Int32, _ name: String, _ started: Bool) -> Void)?

    /// - Parameter observer: told of each child the scope adopts (`started` true) and of its
    ///   exit once reaped (false), with its pid and its Python name (`Process-1`,
    ///   `ForkPoolWorker-2`); nbrun's timeline draws worker processes from it.
    /// The folder its children start in (a cell's notebook folder); nil: this process's.
    package let workingDirectory: String?

    package init(
        observer: (@Sendable (Int32, _ name: String, _ started: Bool) -> Void)? = nil, workingDirectory: String? = nil
    ) {
        self.observer = observer
        self.workingDirectory = workingDirectory
    }

    /// Where its children's output goes (`captureOutput`); nil: to nbrun's own fds.
    private let sink = Locked<(@Sendable (_ isError: Bool, String) -> Void)?>(nil)

    /// Hands what the scope's children write on their fds 1 and 2 (`isError`) to `sink`,
    /// as ipykernel's fd capture hands a forked child's output to the running cell.
    public func captureOutput(_ sink: @escaping @Sendable (_ isError: Bool, String) -> Void) {
        self.sink.withLock { $0 = sink }
    }

    var outputSink: (@Sendable (_ isError: Bool, String) -> Void)? { sink.withLock { $0 } }

    /// `multiprocessing`'s child counter of the process the scope stands for.
    private let identities = Locked(0)

    /// The next number for a child's default name (`Process-N`, `ForkPoolWorker-N`).
    func nextIdentity() -> Int {
        identities.withLock {
            $0 += 1
            return $0
        }
    }

    /// The scope of the calling thread's ambient context, `nil` outside any.
    package static var current: ProcessScope? {
        (Ambient.current as? any ProcessScopeCarrying)?.processScope
    }

    /// SIGKILLs every live child started in this scope and refuses new ones from now on.
    /// Pools whose workers die fail their futures with `BrokenProcessPool`.
    package func terminate() {
        let pids = state.withLock { s in
            s.closed = true
            return s.pids
        }
        for pid in pids { ChildProcesses.kill(pid) }
    }

    /// Whether `terminate()` has been called.
    package var isTerminated: Bool { state.withLock { $0.closed } }

    /// The scope's children that are still alive (not yet reaped).
    package var livePIDs: [Int32] {
        let live = ChildProcesses.livePIDs
        return state.withLock { $0.pids.intersection(live) }.sorted()
    }

    /// Throws if the scope no longer takes children (checked before spawning one).
    func checkOpen(starting executable: String) throws {
        if isTerminated {
            throw builtins.OSError("cannot start \(executable): its process scope was terminated")
        }
    }

    /// Records a child just started; `false` when the scope was terminated meanwhile (the
    /// caller kills the child).
    func adopt(_ pid: pid_t, name: String) -> Bool {
        // Forget reaped children now and then, so a long-lived scope doesn't grow without end.
        let live = state.withLock { $0.pids.count } >= 64 ? ChildProcesses.livePIDs : nil
        let adopted = state.withLock { s in
            guard !s.closed else { return false }
            if let live { s.pids.formIntersection(live) }
            s.pids.insert(pid)
            return true
        }
        if adopted, let observer {
            observer(pid, name, true)
            ChildProcesses.exitObservers.withLock { $0[pid] = { observer($0, name, false) } }
        }
        return adopted
    }

    // MARK: AmbientContext: a scope can be a thread's context by itself.

    package var processScope: ProcessScope { self }
    package func enter() {}
    package func exit() {}
    package func willBlock() {}
    package func didUnblock() {}
}

/// An `Ambient` context that carries a `ProcessScope`: pools and processes created under it
/// belong to that scope. nbrun's per-cell interpreter carries one per cell.
package protocol ProcessScopeCarrying: AmbientContext {
    var processScope: ProcessScope { get }
}
