import Foundation
import PythonRuntime

/// Ports of the `no-run` cells of `notebooks/05-coordination.ipynb`, a notebook written step
/// by step: each cell uses what earlier cells made (the accounts and their locks, the queue
/// and its workers, the event and its runners), so the cells share a `Session` and run in
/// order in one interpreter. Threads started in one cell run on into the next; what they print
/// goes to the cell running at that moment, as under a Jupyter kernel. A cell's last line is
/// its value (`Out[n]`): the port returns it.
public enum Coordination05 {
    static let notebook = "05-coordination"

    /// The ports of 05-coordination.ipynb's cells.
    public static let demos: [Demo] = [
        definitions, sameOrder, deadlock, noMoneyLost, startWorkers, feedWorkers, stopWorkers, emptyQueue,
        startRunners, releaseRunners,
    ]

    /// What the notebook's cells define and share (its globals), made fresh for each run.
    final class Session: NotebookSession, @unchecked Sendable {
        // @unchecked: touched only by the notebook's cells and their threads while they hold
        // the notebook's GIL, as Python code touches its globals.
        var accounts = Accounts()
        var lockA = threading.Lock()
        var lockB = threading.Lock()
        var t1: threading.Thread?
        var t2: threading.Thread?
        var tasks = queue.Queue<Int?>()
        var results: [Int] = []
        var workers: [threading.Thread] = []
        var ready = threading.Event()
        var runners: [threading.Thread] = []

        init() {}
    }

    /// `accounts = {'a': 1000, 'b': 1000}`: a dict of balances, in insertion order.
    struct Accounts {
        private var names: [String] = []
        private var balances: [String: Int] = [:]

        init(_ entries: KeyValuePairs<String, Int> = [:]) {
            for (name, balance) in entries { self[name] = balance }
        }

        subscript(name: String) -> Int {
            get { balances[name] ?? 0 }
            set {
                if balances[name] == nil { names.append(name) }
                balances[name] = newValue
            }
        }

        /// `sum(accounts.values())`.
        var total: Int { balances.values.reduce(0, +) }

        var value: PyValue { .dict(names.map { (key: .str($0), value: .int(self[$0])) }) }
    }

    /// What CPython's `threading.excepthook` does with an exception escaping a thread's
    /// target: `Exception in thread NAME:` and the error on stderr; the thread ends.
    static func threadTarget(_ ctx: DemoContext, _ body: @escaping @Sendable () throws -> Void)
        -> @Sendable () -> Void
    {
        {
            do { try body() } catch {
                ctx.printError("Exception in thread \(threading.currentThread().name):")
                ctx.printError("\(pythonExceptionName(of: error)): \(pythonExceptionMessage(of: error))")
            }
        }
    }

    // MARK: Two accounts, two locks

    /// `def transfer(src, dst, first, second, amount, times)`.
    static func transfer(
        _ ctx: DemoContext, _ s: Session, _ src: String, _ dst: String, _ first: threading.Lock,
        _ second: threading.Lock,
        _ amount: Int, _ times: Int
    ) throws {
        let name = threading.currentThread().name
        for _ in 0..<times {
            let gaveUp = try first.withLock {
                time.sleep(0.001)  // hold the first lock a moment
                guard second.acquire(timeout: 0.2) else {
                    ctx.print("\(name): gave up waiting for the second lock")
                    return true
                }
                s.accounts[src] -= amount
                s.accounts[dst] += amount
                try second.release()  // the `finally:` (nothing above it can raise)
                return false
            }
            if gaveUp { return }
        }
        ctx.print("\(name): \(times) transfers done")
    }

    static let definitions = Demo(
        notebook: notebook, name: "definitions",
        fingerprint: "a32017b4424bfd3f",
        sketch: "4f94aa54227fb55d74c2684fe7edd389bb06c7f24032c7a33f9c2ac5cf12ee94aab927df99558136"
            + "d3d9ae1e4b8b46cacaeffbff6d02d28cb1567e11b8f0ac684b397e46b8d1a85db15e6de4",
        session: Session.self
    ) { _, s in
        s.accounts = Accounts(["a": 1000, "b": 1000])
        s.lockA = threading.Lock()
        s.lockB = threading.Lock()
        return .none
    }

    static let sameOrder = Demo(
        notebook: notebook, name: "same-order",
        fingerprint: "844fe701dadf8fd8",
        sketch: "39f6d919f1d75f4a2da0895fd487b2bf37968efd",
        session: Session.self
    ) { ctx, s in
        let (lockA, lockB) = (s.lockA, s.lockB)
        let t1 = threading.Thread(
            name: "T1", target: threadTarget(ctx) { try transfer(ctx, s, "a", "b", lockA, lockB, 10, 50) })
        let t2 = threading.Thread(
            name: "T2", target: threadTarget(ctx) { try transfer(ctx, s, "b", "a", lockA, lockB, 4, 50) })
        (s.t1, s.t2) = (t1, t2)
        t1.start()
        t2.start()
        t1.join()
        t2.join()
        return s.accounts.value
    }

    // MARK: Deadlock

    static let deadlock = Demo(
        notebook: notebook, name: "deadlock",
        fingerprint: "00f7df0a1c6467e5",
        sketch: "39f6d919f1e93052807cc9922da0895fd487b2bf1e6469d1",
        session: Session.self
    ) { ctx, s in
        let (lockA, lockB) = (s.lockA, s.lockB)
        let t1 = threading.Thread(
            name: "T1", target: threadTarget(ctx) { try transfer(ctx, s, "a", "b", lockA, lockB, 10, 50) })
        let t2 = threading.Thread(
            name: "T2", target: threadTarget(ctx) { try transfer(ctx, s, "b", "a", lockB, lockA, 4, 50) })
        (s.t1, s.t2) = (t1, t2)
        let start = time.perfCounter()
        t1.start()
        t2.start()
        t1.join()
        t2.join()
        ctx.print("elapsed: \(format(time.perfCounter() - start, ".2f"))s")
        return .none
    }

    static let noMoneyLost = Demo(
        notebook: notebook, name: "no-money-lost",
        fingerprint: "1d50e4d8d62e648d",
        sketch: "49d1ba2d",
        session: Session.self
    ) { _, s in
        .tuple([.int(s.accounts.total), .bool(s.lockA.locked), .bool(s.lockB.locked)])
    }

    // MARK: A pipeline: workers that outlive their cell

    /// `def worker()`: squares numbers from `tasks` until it gets the sentinel `None`.
    static func worker(_ s: Session) throws {
        while true {
            guard let n = try s.tasks.get() else {  // the sentinel: time to stop
                try s.tasks.taskDone()
                break
            }
            time.sleep(0.05)  // pretend to work
            s.results.append(n * n)  // list.append is atomic in CPython (here: under the GIL)
            try s.tasks.taskDone()
        }
    }

    static let startWorkers = Demo(
        notebook: notebook, name: "start-workers",
        fingerprint: "8c5857011e1b7af9",
        sketch: "036e57339f4a10c7baeaf2125d14b8250fc1a854a7bb3999b4520c1a01a0a7469805bd68149c87ce"
            + "1b05b6b82f82f81604becd1411ea3ccbe81fd4977a2269d2",
        session: Session.self
    ) { ctx, s in
        s.tasks = queue.Queue<Int?>()
        s.results = []
        s.workers = (0..<3).map { i in threading.Thread(name: "W\(i)", target: threadTarget(ctx) { try worker(s) }) }
        for w in s.workers { w.start() }
        return .list(s.workers.filter(\.isAlive).map { .str($0.name) })
    }

    static let feedWorkers = Demo(
        notebook: notebook, name: "feed-workers",
        fingerprint: "aa287e7c21f5ebd9",
        sketch: "807cc9925052d2bc955630b3dfb9ca97508350c33dc4b415",
        session: Session.self
    ) { ctx, s in
        let start = time.perfCounter()
        for n in 0..<12 { try s.tasks.put(n) }
        s.tasks.join()  // until every task is marked done
        ctx.print("12 tasks in \(format(time.perfCounter() - start, ".2f"))s with \(s.workers.count) workers")
        return .list(s.results.sorted().map { .int($0) })
    }

    static let stopWorkers = Demo(
        notebook: notebook, name: "stop-workers",
        fingerprint: "3e31176874d42717",
        sketch: "b989be737cfa298f11ea3ccb066007cbd0da5a3f",
        session: Session.self
    ) { _, s in
        for _ in s.workers { try s.tasks.put(nil) }
        for w in s.workers { w.join() }
        return .list(s.workers.map { .bool($0.isAlive) })
    }

    /// Raises `queue.Empty` after 0.1 s (the cell is tagged `raises-exception`).
    static let emptyQueue = Demo(
        notebook: notebook, name: "empty-queue",
        fingerprint: "24b7fae21dc26f87",
        sketch: "37b9e027",
        session: Session.self
    ) { _, s in
        try s.tasks.get(timeout: 0.1).map { .int($0) } ?? .none
    }

    // MARK: Events: waiting for a signal

    /// `def runner(name)`: announces itself, waits for `ready`, then runs.
    static func runner(_ ctx: DemoContext, _ s: Session, _ name: String) {
        ctx.print("\(name) at the start line")
        _ = s.ready.wait()
        ctx.print("\(name) running")
    }

    static let startRunners = Demo(
        notebook: notebook, name: "start-runners",
        fingerprint: "e00f8cccda17eb67",
        sketch: "c7e4fc8ad8b951fe1fe4abaa6a955698f3ec7a6965fd6ceaae0819105c254ca81c13f69775a31712",
        session: Session.self
    ) { ctx, s in
        let ready = threading.Event()
        s.ready = ready
        s.runners = (0..<3).map { i in threading.Thread(targetName: "runner") { runner(ctx, s, "R\(i)") } }
        for r in s.runners { r.start() }
        time.sleep(0.1)
        return .bool(ready.isSet)
    }

    static let releaseRunners = Demo(
        notebook: notebook, name: "release-runners",
        fingerprint: "e0c61e6a8a9467be",
        sketch: "51194dc9ae0819107fed7baa75a31712",
        session: Session.self
    ) { _, s in
        s.ready.set()
        for r in s.runners { r.join() }
        return .bool(s.ready.isSet)
    }
}
