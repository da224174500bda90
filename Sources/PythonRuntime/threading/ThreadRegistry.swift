import Foundation
import SystemCalls

/// One interpreter's share of Python's `threading` module state: the counter behind default
/// names (`Thread-N`), `MainThread`, and the threads alive (`threading._active`), in the order
/// they started. Each `PyInterpreter` stands for a Python process of its own, so it has its own.
final class ThreadRegistry: Sendable {
    /// `threading.main_thread()`: the thread that runs the interpreter's cells.
    let main = threading.Thread(mainThread: ())

    private struct State: Sendable {
        var counter = 0
        var dummies = 0
        /// Started and not yet finished, oldest first, with their daemon flags.
        var alive: [(thread: threading.Thread, daemon: Bool)] = []
        /// `_DummyThread`s for OS threads that `threading` did not start (pool workers), by
        /// ident, with the OS (job) name each was made for.
        var foreign: [Int: (thread: threading.Thread, osName: String)] = [:]
    }

    private let state: Monitor<State>
    /// The kernel's own threads (`KernelProfile.threads`), listed after MainThread.
    private let kernelThreads: [threading.Thread]

    init(kernel: KernelProfile? = nil) {
        kernelThreads = (kernel?.threads ?? []).map { threading.Thread(foreignNamed: $0) }
        var initial = State()
        initial.counter = kernel?.threadCounter ?? 0
        state = Monitor(initial, waitKind: .join)
    }

    /// CPython's `_newname`: `Thread-N`, with ` (target)` when the target's name is known;
    /// N counts every thread created in this interpreter, from 1.
    func newName(targetName: String?) -> String {
        let number = state.withLock { s in
            s.counter += 1
            return s.counter
        }
        return targetName.map { "Thread-\(number) (\($0))" } ?? "Thread-\(number)"
    }

    func started(_ thread: threading.Thread, daemon: Bool) {
        state.withLock { $0.alive.append((thread, daemon)) }
    }

    func finished(_ thread: threading.Thread) {
        state.withLock { s in s.alive.removeAll { $0.thread === thread } }
    }

    /// `threading.enumerate()`: MainThread, the kernel's threads, then the threads alive in
    /// the order they started.
    var active: [threading.Thread] {
        [main] + kernelThreads + started
    }

    /// The threads started in this interpreter and still alive, oldest first.
    var started: [threading.Thread] {
        state.withLock { $0.alive.map(\.thread) }
    }

    /// The `_DummyThread` standing for the calling OS thread, which `threading` did not start
    /// (a `concurrent.futures.ThreadPoolExecutor` worker): named after the OS thread, else `Dummy-N` as CPython's.
    /// Unlike CPython's it is not counted by `active_count()`: nothing tells when it ends.
    func dummy() -> threading.Thread {
        let ident = threading.getIdent()
        let osName = ThreadCache.currentJobName ?? Thread.current.name ?? ""
        return state.withLock { s in
            // A cached OS thread runs one executor's job, then another's: it is that job's
            // worker now, named after it (the first name stuck to every later executor's).
            if let known = s.foreign[ident], osName.isEmpty || known.osName == osName { return known.thread }
            var name = osName
            if name.isEmpty {
                s.dummies += 1
                name = "Dummy-\(s.dummies)"
            }
            let dummy = threading.Thread(foreignNamed: name)
            s.foreign[ident] = (dummy, osName)
            return dummy
        }
    }

    /// What CPython's `threading._shutdown` does at exit: waits for every non-daemon thread.
    func waitForNonDaemonThreads() {
        state.wait(timeout: nil, until: { s in !s.alive.contains { !$0.daemon } }) { _, _ in }
    }
}

extension PyInterpreter {
    /// Waits (with the GIL released) until every non-daemon thread started in this
    /// interpreter has finished, as CPython's `threading._shutdown()` does before a
    /// process exits.
    public func waitForNonDaemonThreads() {
        threads.waitForNonDaemonThreads()
    }
}

/// The `threading` state of the calling thread's interpreter (the process-wide one outside any).
var currentThreads: ThreadRegistry {
    (PyInterpreter.current ?? .processWide).threads
}

extension threading {
    /// Python's `threading.current_thread()`: the `threading.Thread` running the caller; `MainThread`
    /// on the thread that runs the interpreter's cell (`PyInterpreter.run`); for other threads
    /// (a pool's workers) a stand-in like CPython's `_DummyThread`.
    public static func currentThread() -> threading.Thread {
        let slot = ThreadSlot.current
        if let thread = slot.thread { return thread }
        let interpreter = PyInterpreter.current
        if let main = slot.mainOf, interpreter == nil || interpreter === main {
            return main.threads.main
        }
        return (interpreter ?? .processWide).threads.dummy()
    }
}

extension threading {
    /// Python's `threading.main_thread()`.
    public static func mainThread() -> threading.Thread {
        currentThreads.main
    }
}

extension threading {
    /// Python's `threading.enumerate()`: the threads alive in this interpreter, MainThread first.
    public static func enumerate() -> [threading.Thread] {
        currentThreads.active
    }
}

extension threading {
    /// Python's `threading.active_count()`: `len(threading.enumerate())`.
    public static func activeCount() -> Int {
        currentThreads.active.count
    }
}

// MARK: The calling thread

/// What `threading.current_thread()` needs to know about the calling OS thread: the
/// `threading.Thread` whose target it is running, or the interpreter it is the main thread of.
/// A thread-local; only its own thread touches it, and both fields are set and cleared
/// around the code they describe (threads are reused by `ThreadCache` afterwards).
final class ThreadSlot {
    var thread: threading.Thread?
    var mainOf: PyInterpreter?
    /// The timeline buffer this thread last recorded into (see `TimelineRecorder.track`).
    var timelineTrack: TimelineTrack?
    /// What the thread is about to block on, for the timeline (see `withWaitKind`).
    var waitKind: ThreadState?
    /// Per interpreter this thread is inside: how deeply, and its CPU clock when it entered.
    private var inside: [ObjectIdentifier: (depth: Int, cpuThen: Int64)] = [:]

    /// The thread enters `interpreter` (again, when nested).
    func entered(_ interpreter: PyInterpreter) {
        let key = ObjectIdentifier(interpreter)
        if let entry = inside[key] {
            inside[key] = (entry.depth + 1, entry.cpuThen)
        } else {
            inside[key] = (1, Clock.nanoseconds(CLOCK_THREAD_CPUTIME_ID))
        }
    }

    /// The thread leaves one level of `interpreter`: the CPU nanoseconds it used inside it
    /// when that was the outermost level, else nil.
    func left(_ interpreter: PyInterpreter) -> Int? {
        let key = ObjectIdentifier(interpreter)
        guard let entry = inside[key] else { return nil }
        guard entry.depth == 1 else {
            inside[key] = (entry.depth - 1, entry.cpuThen)
            return nil
        }
        inside[key] = nil
        return Int(max(0, Clock.nanoseconds(CLOCK_THREAD_CPUTIME_ID) - entry.cpuThen))
    }

    /// The calling thread's slot, created on first use and released when the thread exits.
    static var current: ThreadSlot { slots.current }

    private static let slots = ThreadLocal.processWide { ThreadSlot() }
}

extension threading {
    /// Python's `threading.get_ident()`: the calling OS thread's identifier (its `pthread_t`,
    /// as CPython's is), unique among the threads alive at one time.
    public static func getIdent() -> Int {
        ThreadIdentity.current.pythonIdent
    }
}

extension threading {
    /// Python's `threading.get_native_id()`: the kernel's id of the calling thread (`gettid`,
    /// read from the `/proc/thread-self` link, "<pid>/task/<tid>", since Swift cannot call
    /// `syscall`); -1 if /proc is not mounted.
    public static func getNativeID() -> Int {
        var buffer = [CChar](repeating: 0, count: 64)
        let length = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard length > 0 else { return -1 }
        let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return link.split(separator: "/").last.flatMap { Int($0) } ?? -1
    }
}
