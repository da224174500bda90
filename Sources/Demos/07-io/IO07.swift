import Foundation
import Futures
import PythonRuntime

/// Ports of the `no-run` cells of `notebooks/07-io.ipynb`: threads for I/O, against the
/// course's web server on `localhost:8765` (`io-server`, which nbrun starts for this notebook:
/// `services`). The cells build on each other (`fetch`, `pages`), so they share a `Session`.
/// Every request is a real HTTP GET on a real socket (`urllib.request.urlopen`), and its
/// waits release the GIL as CPython's socket calls do: twelve threads wait side by side.
public enum IO07 {
    static let notebook = "07-io"

    /// The ports of 07-io.ipynb's cells.
    public static let demos: [Demo] = [
        fetchFirst, oneAfterAnother, twelveThreads, poolOfFour, statusOf, httpError, waitingIsNotComputing,
    ]

    /// The course's server, as `fixtures/io-server.py` describes it: started before the first
    /// cell of this notebook, stopped after the run.
    public static let services: [Service] = [
        Service(
            name: "io-server", executable: "io-server", arguments: ["--port", "8765"], port: 8765,
            readyPath: "/ready", notebooks: [notebook])
    ]

    /// `BASE`.
    static let base = "http://localhost:8765"

    /// What the notebook's cells define and share, made fresh for each run of the notebook.
    final class Session: NotebookSession, @unchecked Sendable {
        // @unchecked: touched only by the notebook's cells and their threads while they hold
        // the notebook's GIL, as Python code touches its globals.
        var pages: [PyValue] = []
        var results: [Int: PyValue] = [:]
        var threads: [threading.Thread] = []

        init() {}
    }

    /// `def fetch(n)`: one page, as the dict its JSON holds.
    static func fetch(_ n: Int) throws -> PyValue {
        try urllib.request.urlopen("\(base)/page/\(n)", timeout: 5) { reply in
            try json.loads(reply.read())
        }
    }

    /// `page['words']`: a `KeyError` or `TypeError` as Python raises them when it is not there.
    static func words(_ page: PyValue) throws -> Int {
        guard case .dict(let entries) = page else {
            throw builtins.TypeError("list indices must be integers or slices, not str")
        }
        guard case .int(let words)? = entries.first(where: { $0.key == "words" })?.value else {
            throw builtins.KeyError("'words'")
        }
        return words
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

    static let fetchFirst = Demo(
        notebook: notebook, name: "fetch",
        fingerprint: "a23d772c2f4335d0",
        sketch: "676e307e4f94aa54227fb55d268d50bbc782055c5e1b05d4532faf9559d679852c5f6b2c11c4296b",
        session: Session.self
    ) { _, _ in
        try fetch(1)
    }

    static let oneAfterAnother = Demo(
        notebook: notebook, name: "one-after-another",
        fingerprint: "887477b1544c0b96",
        sketch: "807cc9927b244dfc7cdbbaadb5aa24e2",
        session: Session.self
    ) { ctx, s in
        let start = time.perfCounter()
        s.pages = try (1...12).map(fetch)
        ctx.print("\(s.pages.count) pages in \(format(time.perfCounter() - start, ".1f"))s")
        return .int(try s.pages.map(words).reduce(0, +))
    }

    static let twelveThreads = Demo(
        notebook: notebook, name: "twelve-threads",
        fingerprint: "26a3a9e2a376ce30",
        sketch: "9a9b0dd2a19c7426c9956dbdca3a013b807cc992466486885a29e7224664868880d8d75c9576e03f"
            + "f5799007",
        session: Session.self
    ) { ctx, s in
        s.results = [:]
        let threads = (1...12).map { n in
            threading.Thread(targetName: "fetch_into", target: threadTarget(ctx) { s.results[n] = try fetch(n) })
        }
        s.threads = threads
        let start = time.perfCounter()
        for t in threads { t.start() }
        for t in threads { t.join() }
        ctx.print("\(s.results.count) pages in \(format(time.perfCounter() - start, ".1f"))s")
        let fetched = try s.results.keys.sorted().compactMap { s.results[$0] }.map(words)
        return .bool(try fetched == s.pages.map(words))
    }

    static let poolOfFour = Demo(
        notebook: notebook, name: "pool-of-four",
        fingerprint: "f1666c6bda3eb071",
        sketch: "807cc992d01af842a1eb172d2a741940e664c5c0",
        session: Session.self
    ) { ctx, _ in
        let start = time.perfCounter()
        let words = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 4) { pool in
            try pool.map(1...12) { n in try IO07.words(fetch(n)) }
        }
        ctx.print("\(words.count) pages in \(format(time.perfCounter() - start, ".1f"))s")
        return .list(words.prefix(4).map { .int($0) })
    }

    /// `def status_of(path, timeout=5)`: the status, the HTTP error's code, or `'timed out'`.
    static func statusOf(_ path: String, timeout: Double = 5) throws -> PyValue {
        do {
            return try urllib.request.urlopen("\(base)\(path)", timeout: timeout) { reply in .int(reply.status) }
        } catch let e as urllib.error.HTTPError {
            return .int(e.code)
        } catch is builtins.TimeoutError {
            return "timed out"
        }
    }

    static let statusOf = Demo(
        notebook: notebook, name: "status-of",
        fingerprint: "51ea75c65a01ae40",
        sketch: "c10ac2801781c8b5c228a9ecccb0b063c04324254e3d909f48745b2f0c76e6d39c72f8ee807cc992"
            + "2e10d8ff36fb5c9c0afbc98bd9ffe337",
        session: Session.self
    ) { ctx, _ in
        let start = time.perfCounter()
        let statuses = try concurrent.futures.ThreadPoolExecutor.with(maxWorkers: 3) { pool in
            try pool.map(["/page/3", "/missing", "/slow"]) { path in try statusOf(path, timeout: 0.5) }
        }
        ctx.print("done in \(format(time.perfCounter() - start, ".1f"))s")
        return .list(statuses)
    }

    static let httpError = Demo(
        notebook: notebook, name: "http-error",
        fingerprint: "62736fc4809bbf89",
        sketch: "2c520ec9",
        session: Session.self
    ) { _, _ in
        let reply = try urllib.request.urlopen("\(base)/missing", timeout: 5)
        reply.close()
        return .none  // IPython shows the response object; it raises before that
    }

    /// `time.process_time()` of the notebook's interpreter over the cell: the CPU time of the
    /// cell's own thread plus what each of its threads used, as CPython's process clock counts
    /// the threads of its one process (nbrun's own process runs other notebooks too).
    static let waitingIsNotComputing = Demo(
        notebook: notebook, name: "cpu-time",
        fingerprint: "8d3fcba931fe958d",
        sketch: "5b1e9a2ae470c915466486885a29e7224664868880d8d75ce8753b1b9cef1355780c90b4",
        session: Session.self
    ) { ctx, s in
        let threadsCPU = Locked(0.0)
        let threads = (1...12).map { n in
            threading.Thread(
                targetName: "fetch",
                target: threadTarget(ctx) {
                    let before = time.threadTime()
                    defer { threadsCPU.withLock { $0 += time.threadTime() - before } }
                    _ = try fetch(n)
                })
        }
        s.threads = threads
        var (wall, cpu) = (time.perfCounter(), time.threadTime())
        for t in threads { t.start() }
        for t in threads { t.join() }
        (wall, cpu) = (time.perfCounter() - wall, time.threadTime() - cpu + threadsCPU.withLock { $0 })
        ctx.print("wall \(format(wall, ".1f"))s")
        return .bool(cpu < wall / 2)
    }
}
