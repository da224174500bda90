import Dispatch
import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// The worker processes behind a `concurrent.futures.ProcessPoolExecutor`, with calls' types erased.
///
/// Each worker runs one call at a time; queued calls wait here in the parent (Python keeps
/// them in its pending-work dict). A worker is started when a call is queued and no idle
/// (or starting) worker can take it, up to `maxWorkers`, and reused after. Every worker has a
/// dedicated reader thread that blocks on its socket: a reply completes the call's future and
/// hands that worker the next call; end-of-file from a worker that was not retired means it
/// died, which breaks the pool as in Python (every pending future fails, the rest are killed).
final class ProcessPool: Sendable {
    private struct State: Sendable {
        var queue: [PoolCall] = []
        var queueHead = 0
        var idle: [PoolWorker] = []
        var running: [pid_t: PoolCall] = [:]
        var workers: [pid_t: PoolWorker] = [:]
        var starting = 0
        var isShutdown = false
        var isBroken = false
        var nextID: UInt64 = 0
        var messagesSent = 0

        var queuedCount: Int { queue.count - queueHead }

        mutating func popQueued() -> PoolCall? {
            guard queueHead < queue.count else { return nil }
            defer {
                queueHead += 1
                if queueHead > 64 && queueHead * 2 > queue.count {  // drop the consumed prefix now and then
                    queue.removeFirst(queueHead)
                    queueHead = 0
                }
            }
            return queue[queueHead]
        }

        mutating func takeQueued() -> [PoolCall] {
            defer { queue = []; queueHead = 0 }
            return Array(queue[queueHead...])
        }
    }

    /// What to do once the lock is released.
    private struct Actions {
        var sends: [(PoolWorker, CallRequest)] = []
        var spawns = 0
        var retire: [PoolWorker] = []
    }

    let maxWorkers: Int
    let executable: String
    /// Every worker is started in this scope, whichever thread starts it.
    let scope: ProcessScope?
    private let state = Locked(State())
    /// Entered for each worker being started, left when its reader thread has reaped it.
    private let workerGroup = DispatchGroup()

    /// The name each new worker gets as `current_process().name` (CPython's `ForkProcess-N`).
    private let nameWorker: @Sendable () -> String

    init(
        maxWorkers: Int, executable: String, scope: ProcessScope?,
        nameWorker: @escaping @Sendable () -> String = { "ForkProcess-\(multiprocessing.nextIdentity())" }
    ) {
        self.maxWorkers = maxWorkers
        self.executable = executable
        self.scope = scope
        self.nameWorker = nameWorker
        _ = processesExceptionsRegistered
    }

    /// Starts every worker not started yet, up to `maxWorkers` (a `multiprocessing.Pool`
    /// starts its processes when it is created).
    func startAllWorkers() {
        let spawns: Int = state.withLock { s in
            guard !s.isShutdown else { return 0 }
            let missing = maxWorkers - s.workers.count - s.starting
            s.starting += missing
            for _ in 0..<missing { workerGroup.enter() }
            return missing
        }
        var actions = Actions()
        actions.spawns = spawns
        perform(actions)
    }

    var messagesSent: Int { state.withLock { $0.messagesSent } }
    var workerPIDs: [pid_t] { state.withLock { Array($0.workers.keys) } }

    /// Throws, as Python's `submit` raises, if the pool is broken (`BrokenProcessPool`) or
    /// shut down (`RuntimeError`); the broken pool is checked first, as in Python 3.11.
    func checkAccepting() throws {
        try state.withLock { s in try Self.checkAccepting(s) }
    }

    private static func checkAccepting(_ s: State) throws {
        if s.isBroken { throw concurrent.futures.process.BrokenProcessPool.poolBroken }
        if s.isShutdown { throw builtins.RuntimeError("cannot schedule new futures after shutdown") }
    }

    /// Queues `call`, or throws as `checkAccepting()` does.
    func enqueue(_ call: PoolCall) throws {
        let actions: Actions = try state.withLock { s in
            try Self.checkAccepting(s)
            s.queue.append(call)
            return schedule(&s)
        }
        perform(actions)
    }

    func shutdown(wait: Bool, cancelFutures: Bool) {
        let (dropped, actions): ([PoolCall], Actions) = state.withLock { s in
            s.isShutdown = true
            let dropped = cancelFutures ? s.takeQueued() : []
            return (dropped, schedule(&s))
        }
        for call in dropped { call.cancel() }
        perform(actions)
        if wait { waitForWorkers() }
    }

    /// Shuts down, cancelling queued calls, and SIGKILLs every worker: running calls fail with
    /// `BrokenProcessPool`. With `wait`, returns once every worker is reaped.
    func terminate(wait: Bool) {
        shutdown(wait: false, cancelFutures: true)
        let killed = workerPIDs
        for pid in killed { ChildProcesses.kill(pid) }
        // What they wrote before reaches the running cell first (a killed worker's pipes end
        // at once), as their flushed prints reach the kernel before `terminate()` returns.
        Ambient.blocking { for pid in killed { ChildOutput.waitUntilDrained(pid, timeout: 0.1) } }
        if wait { waitForWorkers() }
    }

    /// Blocks until every worker is reaped, with a cell's GIL released meanwhile (CPython's
    /// `shutdown(wait=True)` joins its threads and processes without holding it).
    private func waitForWorkers() {
        Ambient.blocking { workerGroup.wait() }
    }

    // MARK: Scheduling (under the lock)

    private func schedule(_ s: inout State) -> Actions {
        var actions = Actions()
        while !s.idle.isEmpty, let call = s.popQueued() {
            guard call.start() else { continue }  // cancelled while queued
            let worker = s.idle.removeLast()
            s.running[worker.pid] = call
            s.nextID += 1
            s.messagesSent += 1
            actions.sends.append((worker, CallRequest(id: s.nextID, function: call.function, payload: call.payload)))
        }
        // Python 3.11: a submit with no idle worker starts one, up to max_workers.
        while s.queuedCount > s.starting, s.workers.count + s.starting < maxWorkers, !s.isBroken {
            s.starting += 1
            workerGroup.enter()
            actions.spawns += 1
        }
        if s.isShutdown && s.queuedCount == 0 {
            actions.retire = s.idle
            s.idle = []
        }
        return actions
    }

    private func perform(_ actions: Actions) {
        for (worker, request) in actions.sends {
            do {
                try worker.send(request)
            } catch  where [.brokenPipe, .connectionReset].contains(error.errno) {
                // The worker died: its reader thread sees the end of its stream and breaks the pool.
            } catch {
                breakPool(cause: Self.connectionFailed(error))
            }
        }
        for worker in actions.retire { worker.retire() }
        for _ in 0..<actions.spawns { startWorker() }
    }

    // MARK: Workers

    private func startWorker() {
        let worker: PoolWorker
        do {
            let (parentEnd, childEnd) = try PoolWorker.socketPair()
            defer { Syscall.closeIgnoringErrors(childEnd) }
            do {
                let name = nameWorker()
                let pid = try ChildProcesses.spawn(
                    executable: executable,
                    arguments: ProcessWorker.workerArguments(mode: "pool", extra: [name]),
                    descriptors: [childEnd], scope: scope, name: name)
                worker = PoolWorker(pid: pid, socket: parentEnd)
            } catch {
                Syscall.closeIgnoringErrors(parentEnd)
                throw error
            }
        } catch {
            state.withLock { $0.starting -= 1 }
            // A worker that cannot start is the OSError CPython's fork or exec would raise.
            breakPool(cause: (error as? SystemCallError)?.pythonException ?? error)
            workerGroup.leave()
            return
        }
        let actions: Actions = state.withLock { s in
            s.starting -= 1
            s.workers[worker.pid] = worker
            s.idle.append(worker)
            return schedule(&s)
        }
        let thread = Thread { [self] in readReplies(from: worker) }
        thread.name = "ProcessPoolExecutor.reader.\(worker.pid)"
        thread.start()
        perform(actions)
        if state.withLock({ $0.isBroken }) { ChildProcesses.kill(worker.pid) }
    }

    private func readReplies(from worker: PoolWorker) {
        var failure: (any Error)?
        while true {
            let reply: CallReply
            do {
                guard let next = try worker.receive() else { break }
                reply = next
            } catch {
                failure = error
                break
            }
            let (call, actions): (PoolCall?, Actions) = state.withLock { s in
                let call = s.running.removeValue(forKey: worker.pid)
                s.idle.append(worker)
                return (call, schedule(&s))
            }
            perform(actions)
            switch reply.outcome {
            case .value(let payload): call?.finish(.success(payload))
            case .raised(let ename, let evalue, let className):
                // The same class the worker raised, so a port's `catch` works as for a local raise.
                call?.finish(.failure(PythonExceptions.make(qualifiedName: className, name: ename, message: evalue)))
            }
        }
        // End of stream: the worker exited after being retired, or died (or its stream broke).
        let diedUnexpectedly: Bool = state.withLock { s in
            let wasRetired = s.isShutdown && !s.idle.contains { $0 === worker } && s.running[worker.pid] == nil
            s.workers.removeValue(forKey: worker.pid)
            return !wasRetired || s.isBroken
        }
        worker.close()
        if let failure {
            ChildProcesses.kill(worker.pid)  // a worker we can't understand is not left running
            breakPool(cause: Self.connectionFailed(failure))
        } else if diedUnexpectedly {
            breakPool(cause: nil)
        }
        _ = ChildProcesses.waitForExit(worker.pid)
        workerGroup.leave()
    }

    /// What running and queued calls fail with when the connection to a worker breaks other
    /// than by its death (Python says much the same when a result fails to unpickle).
    private static func connectionFailed(_ error: any Error) -> concurrent.futures.process.BrokenProcessPool {
        .init(
            "The connection to a worker failed (\(error)), the process pool is not usable anymore")
    }

    /// Fails every running and queued call with `BrokenProcessPool` and kills the other workers.
    private func breakPool(cause: (any Error)?) {
        let (victims, pids): ([PoolCall], [pid_t]) = state.withLock { s in
            s.isBroken = true
            s.isShutdown = true
            let victims = Array(s.running.values) + s.takeQueued()
            s.running = [:]
            s.idle = []
            return (victims, Array(s.workers.keys))
        }
        for pid in pids { ChildProcesses.kill(pid) }
        let error = cause ?? concurrent.futures.process.BrokenProcessPool.whileRunning
        for call in victims { call.finish(.failure(error)) }
    }
}
