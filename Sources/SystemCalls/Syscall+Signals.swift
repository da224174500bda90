import Glibc

extension Syscall {
    /// Blocks `signals` in the calling thread, and so in every thread it starts afterwards
    /// (`pthread_sigmask`), so that one thread can take them with `waitForSignal`.
    package static func blockSignals(_ signals: [Int32]) {
        var set = signalSet(signals)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for one of `signals` (blocked beforehand) and returns it (`sigwait`).
    package static func waitForSignal(_ signals: [Int32]) -> Int32 {
        var set = signalSet(signals)
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    /// The process ignores `signal` from now on (`SIGXFSZ`: a write past the file-size limit
    /// fails with `EFBIG` instead of killing the process).
    package static func ignoreSignal(_ signal: Int32) {
        _ = Glibc.signal(signal, SIG_IGN)
    }

    private static func signalSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }
}

extension ThreadIdentity {
    /// The CPU-time clock of the calling thread (`pthread_getcpuclockid`), which another thread
    /// can read while it runs; nil if there is none.
    package static func currentCPUClock() -> clockid_t? {
        var clock = clockid_t()
        return pthread_getcpuclockid(pthread_self(), &clock) == 0 ? clock : nil
    }
}

/// One pthread running one closure, joined by its owner (`pthread_create`/`pthread_join`), so
/// the hand-over of what it leaves behind is visible to ThreadSanitizer.
package final class JoinableThread: @unchecked Sendable {
    // @unchecked: `work` is only called on the new thread; `thread` only by the owner, which
    // sets it in `start` before anything can call `join`.
    private let work: () -> Void
    private var thread = pthread_t()

    /// A thread that will run `work` once started.
    package init(_ work: @escaping () -> Void) {
        self.work = work
    }

    /// Starts the thread; false if it could not be made (`pthread_create` failed).
    package func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                Unmanaged<JoinableThread>.fromOpaque(context).takeRetainedValue().work()
                return nil
            }, context)
        if status != 0 { Unmanaged<JoinableThread>.fromOpaque(context).release() }
        return status == 0
    }

    /// Waits for the thread to end.
    package func join() {
        pthread_join(thread, nil)
    }
}

/// The cores a thread may run on (`pthread_getaffinity_np`/`pthread_setaffinity_np`). glibc's
/// affinity calls are not in Swift's Glibc module; they are looked up once, and where they
/// cannot be, nothing is moved.
package struct CPUAffinity: Sendable {
    private typealias Call = @convention(c) (pthread_t, Int, UnsafeMutableRawPointer) -> Int32
    private static let calls: (get: Call, set: Call)? = {
        let program = dlopen(nil, RTLD_NOW)
        guard let get = dlsym(program, "pthread_getaffinity_np"), let set = dlsym(program, "pthread_setaffinity_np")
        else { return nil }
        return (unsafeBitCast(get, to: Call.self), unsafeBitCast(set, to: Call.self))
    }()
    private let mask: cpu_set_t

    /// The calling thread's cores; nil if they cannot be read.
    package static func ofCallingThread() -> CPUAffinity? {
        var mask = cpu_set_t()
        guard let calls, calls.get(pthread_self(), MemoryLayout<cpu_set_t>.size, &mask) == 0 else { return nil }
        return CPUAffinity(mask: mask)
    }

    /// Just `core`.
    package init(core: Int) {
        var one = cpu_set_t()
        withUnsafeMutableBytes(of: &one) { $0[core / 8] |= 1 << (core % 8) }
        mask = one
    }

    private init(mask: cpu_set_t) {
        self.mask = mask
    }

    /// The cores, ascending.
    package var cores: [Int] {
        withUnsafeBytes(of: mask) { bits in (0..<bits.count * 8).filter { bits[$0 / 8] & (1 << ($0 % 8)) != 0 } }
    }

    /// Moves the calling thread to these cores; false if it could not be moved.
    @discardableResult
    package func apply() -> Bool {
        var mask = mask
        guard let calls = Self.calls else { return false }
        return calls.set(pthread_self(), MemoryLayout<cpu_set_t>.size, &mask) == 0
    }
}
