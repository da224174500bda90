import Foundation
import Futures
import PythonRuntime

/// Ports of the `no-run` cells of `notebooks/06-faults.ipynb`, a notebook written step by
/// step about threads going wrong: an exception in a thread (`threading.excepthook`'s
/// report), the kernel's own threads, a wake-up printing into the releasing cell, a
/// deadlock ended by an interrupt, threads running across cells, and an asyncio task that
/// outlives its cell on the notebook's event loop. The cells share a `Session` and run in
/// one interpreter that imitates the kernel (`KernelProfile`).
public enum Faults06 {
    static let notebook = "06-faults"

    /// The ports of 06-faults.ipynb's cells.
    public static let demos: [Demo] = [
        exceptionInThread, kernelThreads, gateWaiter, gateRelease, waiterJoined, deadlock, stuckLocks, spinners,
        stopSpinners, ticker, awaitTicker, tickerDone,
    ]

    /// What the notebook's cells define and share (its globals), made fresh for each run.
    final class Session: NotebookSession, @unchecked Sendable {
        // @unchecked: touched only by the notebook's cells, their threads and its event loop
        // while they hold the notebook's GIL, as Python code touches its globals.
        var gate = threading.Lock()
        var waiter: threading.Thread?
        var left = threading.Lock()
        var right = threading.Lock()
        var d2: threading.Thread?
        var counts: [String: Int] = ["s1": 0, "s2": 0]
        var running = true
        var spinners: [threading.Thread] = []
        var ticks: [Int] = []
        var task: asyncio.Task<String>?

        init() {}
    }

    /// Python's `int(text)` for a decimal literal, and its `ValueError` otherwise.
    static func int(_ text: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw builtins.ValueError("invalid literal for int() with base 10: \(PyValue.str(text).repr)")
        }
        return value
    }

    // MARK: An exception in a thread

    static let exceptionInThread = Demo(
        notebook: notebook, name: "exception-in-thread",
        fingerprint: "483c6390bcb54814",
        sketch: "4f94aa54227fb55d660653f1302f3b0e03d45d5f2250f3d496756303522514b4e09ceed2290589df",
        session: Session.self
    ) { ctx, _ in
        let parseFunction = ctx.def("parse")
        @Sendable func parse(_ text: String) throws {
            let value = try parseFunction.at(line: 5) { try int(text) }
            ctx.print("parsed \(value)")
        }
        let good = threading.Thread(targetName: "parse") { try parse("42") }
        let bad = threading.Thread(targetName: "parse") { try parse("forty-two") }
        good.start()
        bad.start()
        good.join()
        bad.join()
        ctx.print("both joined")
        return .none
    }

    static let kernelThreads = Demo(
        notebook: notebook, name: "kernel-threads",
        fingerprint: "7b5fe99da3684b78",
        sketch: "20fecb38",
        session: Session.self
    ) { _, _ in
        .tuple([.list(threading.enumerate().map { .str($0.name) }), .int(threading.activeCount())])
    }

    // MARK: A wake-up lands where it happens

    static let gateWaiter = Demo(
        notebook: notebook, name: "gate-waiter",
        fingerprint: "c97a475c37c5f655",
        sketch: "2f2944294ce63f535d088bf9d6aa81824f7c6fe96e6d9d36868fae878f177091",
        session: Session.self
    ) { ctx, s in
        let gate = threading.Lock()
        s.gate = gate
        gate.acquire()
        let waiter = threading.Thread(name: "waiter") {
            gate.withLock { ctx.print("waiter: got the gate") }
        }
        s.waiter = waiter
        waiter.start()
        return .bool(waiter.isAlive)
    }

    /// `gate.release()`: the waiter prints into this cell, while the kernel finishes it.
    static let gateRelease = Demo(
        notebook: notebook, name: "gate-release",
        fingerprint: "ae7e608fdc7ded2e",
        sketch: "994052ee",
        session: Session.self
    ) { _, s in
        try s.gate.release()
        return .none
    }

    static let waiterJoined = Demo(
        notebook: notebook, name: "waiter-joined",
        fingerprint: "8eadcb37ae2b38c3",
        sketch: "9f6bb25b8f177091",
        session: Session.self
    ) { _, s in
        guard let waiter = s.waiter else { throw builtins.NameError("name 'w' is not defined") }
        waiter.join()
        return .bool(waiter.isAlive)
    }

    // MARK: A deadlock nobody breaks

    /// `d1.join()` never returns: the cell's `interrupt` rule (nbrun.json) ends it with
    /// `KeyboardInterrupt` at its timeout, and the notebook goes on (`raises-exception`).
    static let deadlock = Demo(
        notebook: notebook, name: "deadlock",
        fingerprint: "af0c96b31458ba13",
        sketch: "0adc21a37a70afb8f19b1daf7aff38373874bdab1620b49779e2e46e54d5a817005dc85fecb134ab",
        session: Session.self
    ) { ctx, s in
        let (left, right) = (threading.Lock(), threading.Lock())
        (s.left, s.right) = (left, right)
        @Sendable func grab(_ first: threading.Lock, _ second: threading.Lock, _ name: String) {
            first.withLock {
                time.sleep(0.1)
                second.withLock { ctx.print("\(name) got both") }
            }
        }
        let d1 = threading.Thread(name: "D1") { grab(left, right, "D1") }
        let d2 = threading.Thread(name: "D2") { grab(right, left, "D2") }
        s.d2 = d2
        d1.start()
        d2.start()
        d1.join()
        return .none
    }

    static let stuckLocks = Demo(
        notebook: notebook, name: "stuck-locks",
        fingerprint: "00f9c7314994b83b",
        sketch: "67ef0e7b",
        session: Session.self
    ) { _, s in
        .tuple([.bool(s.left.locked), .bool(s.right.locked), .bool(s.d2?.isAlive ?? false)])
    }

    // MARK: Threads nobody stops

    static let spinners = Demo(
        notebook: notebook, name: "spinners",
        fingerprint: "5ecfe92015714183",
        sketch: "c58b5411443ca969c96e47a8719451c9eeb142db226b9f016cbf29c25bac995b5a29e7223c1ae4bc"
            + "3feb5285",
        session: Session.self
    ) { _, s in
        s.counts = ["s1": 0, "s2": 0]
        s.running = true
        @Sendable func spin(_ name: String) {
            while s.running {
                s.counts[name, default: 0] += 1
                time.sleep(0.01)
            }
        }
        s.spinners = ["s1", "s2"].map { name in threading.Thread(name: name) { spin(name) } }
        for t in s.spinners { t.start() }
        time.sleep(0.2)
        return .bool((s.counts["s1"] ?? 0) > 0 && (s.counts["s2"] ?? 0) > 0)
    }

    static let stopSpinners = Demo(
        notebook: notebook, name: "stop-spinners",
        fingerprint: "2429ccb349d9070a",
        sketch: "8c2f14c45bac995b80d8d75ce5bb7fd0",
        session: Session.self
    ) { _, s in
        s.running = false
        for t in s.spinners { t.join() }
        return .list(s.spinners.map { .bool($0.isAlive) })
    }

    // MARK: A task that outlives its cell

    /// A top-level `await`: the cell runs on the notebook's event loop, and `task` runs on
    /// after it.
    static let ticker = Demo(
        notebook: notebook, name: "ticker",
        fingerprint: "5cf998b14ad00b87",
        sketch: "ab122e4c343fd8925cff3dfbad09780297772b09466939ccb80dbb111b189d287ed06e1c018bf2e1",
        session: Session.self
    ) { ctx, s in
        s.ticks = []
        @Sendable func ticker(_ n: Int) async throws -> String {
            for i in 0..<n {
                s.ticks.append(i)
                try await asyncio.sleep(0.05)
            }
            return "\(n) ticks"
        }
        return try asyncio.topLevel(ctx) {
            let task = asyncio.createTask { try await ticker(10) }
            s.task = task
            try await asyncio.sleep(0.12)
            return PyValue.bool(task.done)
        }
    }

    static let awaitTicker = Demo(
        notebook: notebook, name: "await-ticker",
        fingerprint: "56c92d158540b7be",
        sketch: "3fd888de",
        session: Session.self
    ) { ctx, s in
        guard let task = s.task else { throw builtins.NameError("name 'task' is not defined") }
        return .str(try asyncio.topLevel(ctx) { try await task.value })
    }

    static let tickerDone = Demo(
        notebook: notebook, name: "ticker-done",
        fingerprint: "d73aed14910448cd",
        sketch: "a3b589cd",
        session: Session.self
    ) { ctx, s in
        let task = s.task
        let done = try asyncio.onLoop(ctx) { task?.done ?? false }
        return .tuple([.int(s.ticks.count), .bool(done)])
    }
}
