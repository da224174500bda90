import Foundation
import Synchronization
import SystemCalls

/// One interpreter's global interpreter lock, after CPython's (Python/ceval_gil.h).
///
/// One thread holds it at a time. A thread that has waited `switchInterval` (5 ms, Python's
/// `sys.getswitchinterval()`) without the lock changing hands sets `dropRequest`; the holder
/// sees it at its next `evalBreaker()` (CPython checks between bytecodes), releases, and then
/// waits until some other thread has taken the lock before competing again (CPython's
/// FORCE_SWITCHING), so the requester really gets its turn. Waiters block on a condition, so
/// a thread waiting for the GIL uses no CPU time, as in CPython.
///
/// The lock is re-entrant per thread (`depth`), so nested `enter`s on one thread are harmless.
/// A blocking wait gives it up entirely (`releaseForBlocking`) and takes back the same depth.
final class GIL: @unchecked Sendable {
    // @unchecked: every stored `var` is only touched while `condition` is locked.

    /// How many GILs of this process have a drop request outstanding. `evalBreaker()` reads
    /// it first, so a compute loop pays one relaxed load per pass, not a thread-local
    /// lookup, while no thread anywhere waits for a GIL.
    static let pendingDropRequests = Atomic<Int>(0)

    /// `evalBreaker()` once some GIL of the process has a drop request: looks at the one the
    /// calling thread holds without retaining it (it is held, so its interpreter is alive),
    /// and serves the request only if it is that GIL's.
    ///
    /// The held GIL sits in a thread-specific slot, set by `take` and cleared by `drop` (both
    /// run on the holder), so this finds it in a few nanoseconds, without the cast of the
    /// ambient context that `PyInterpreter.current` costs (bench/HISTORY.md).
    @inline(__always)
    static func serveDropRequestOfHeld() {
        guard let raw = heldKey.value else { return }
        let held = Unmanaged<GIL>.fromOpaque(raw)
        guard held._withUnsafeGuaranteedRef({ $0.dropRequest.load(ordering: .relaxed) }) else { return }
        held.takeUnretainedValue().evalBreaker()
    }

    private static let heldKey = ThreadSpecificKey.processWide()

    /// CPython's default switch interval.
    static let switchInterval: TimeInterval = 0.005

    /// Set by a waiter that has waited a whole interval; read by the holder without locking.
    private let dropRequest = Atomic<Bool>(false)
    /// Guards the state below; waiters for the lock and a holder waiting for a switch both
    /// wait on it, and every change of holder is broadcast.
    private let condition = NSCondition()
    private var holder: ThreadIdentity?
    private var depth = 0
    /// Counts acquisitions, so a waiter can tell whether the lock changed hands.
    private var switchNumber: UInt64 = 0
    private var waiting = 0
    /// Depths given up by threads now blocked in a wait, to take back afterwards.
    private var blockedDepths: [ThreadIdentity: Int] = [:]
    /// Told of every wait for the lock and every take, when a timeline is recorded.
    let recorder: TimelineRecorder?
    /// For the watchdog (`stall(after:)`): the holder's kernel thread id, and since when
    /// (monotonic seconds) the waiters have waited with no switch, whichever came later
    /// of the last switch and the first waiter arriving.
    private var holderTID: pid_t = 0
    private var heldSince = 0.0
    private var waitersSince = 0.0
    /// The kernel has shut down (`shutDown`): whoever asks for the lock from now on parks.
    private var closed = false

    init(recorder: TimelineRecorder? = nil) {
        self.recorder = recorder
    }

    /// Takes the lock for the calling thread (once more, if it already holds it).
    func acquire() {
        condition.lock()
        defer { condition.unlock() }
        if holder?.isCurrent == true {
            depth += 1
        } else {
            take(depth: 1)
        }
    }

    /// Gives up one level of the calling thread's hold; the last one releases the lock.
    func release() {
        condition.lock()
        defer { condition.unlock() }
        guard holder?.isCurrent == true else { return }
        depth -= 1
        if depth == 0 {
            drop()
            recorder?.record(.idle)
        }
    }

    /// Whether the calling thread holds the lock.
    var isHeldByCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return holder?.isCurrent == true
    }

    /// Whether a thread holds the lock or waits for it: some thread of the interpreter runs
    /// or is about to.
    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return holder != nil || waiting > 0
    }

    /// Before a blocking wait: releases the lock entirely if the calling thread holds it.
    func releaseForBlocking() {
        condition.lock()
        defer { condition.unlock() }
        let me = ThreadIdentity.current
        guard holder == me else { return }
        blockedDepths[me] = depth
        drop()
    }

    /// After a blocking wait: takes the lock back if `releaseForBlocking` gave it up.
    func reacquireAfterBlocking() {
        condition.lock()
        defer { condition.unlock() }
        guard let saved = blockedDepths.removeValue(forKey: .current) else { return }
        take(depth: saved)
    }

    /// The holder's periodic check: if another thread asked for the lock, hand it over,
    /// wait until that thread has it, then queue up to take it back.
    func evalBreaker() {
        guard dropRequest.load(ordering: .relaxed) else { return }
        condition.lock()
        defer { condition.unlock() }
        guard holder?.isCurrent == true else { return }
        let saved = depth
        drop()
        recorder?.record(.gilWait)
        let handedOverAt = switchNumber
        while switchNumber == handedOverAt && waiting > 0 {
            condition.wait()
        }
        take(depth: saved)
    }

    /// What the watchdog reports: the holder has kept the lock `seconds` while `waiters`
    /// threads wait for it, which a Python thread never does unless native code keeps it.
    struct Stall: Sendable, CustomStringConvertible {
        let holderName: String
        let seconds: Double
        let waiters: Int
        /// The kernel's view of the holder: blocked in a wait (and where), or running.
        let holderState: String

        var description: String {
            let threads = waiters == 1 ? "1 thread waits" : "\(waiters) threads wait"
            return "thread '\(holderName)' has held the GIL for \(format(seconds, ".1f")) s while \(threads) for it"
                + " (\(holderState)) — a blocking wait that keeps the GIL? wrap it in releasingGIL { }"
        }
    }

    /// The current stall, if some thread has waited at least `seconds` for the lock while
    /// one holder kept it, without a switch.
    func stall(after seconds: Double) -> Stall? {
        condition.lock()
        let (held, waiters, tid, since) = (holder != nil, waiting, holderTID, max(heldSince, waitersSince))
        condition.unlock()
        let stalled = time.perfCounter() - since
        guard held, waiters > 0, stalled >= seconds else { return nil }
        let task = "/proc/self/task/\(tid)/"
        let name = Self.procText(task + "comm") ?? "tid \(tid)"
        let state = Self.procText(task + "stat").flatMap { $0.split(separator: ")").last?.split(separator: " ").first }
        let place = Self.procText(task + "wchan").flatMap { $0 == "0" || $0.isEmpty ? nil : $0 }
        let holderState =
            switch state {
            case "R"?: "computing without reaching evalBreaker()"
            case "S"?, "D"?: "blocked" + (place.map { " in \($0)" } ?? "") + ", not releasing the GIL"
            default: "in state \(state.map(String.init) ?? "unknown")"
            }
        return Stall(holderName: name, seconds: stalled, waiters: waiters, holderState: holderState)
    }

    private static func procText(_ path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: With `condition` locked

    private func take(depth newDepth: Int) {
        if closed { parkForGood() }
        if waiting == 0 { waitersSince = time.perfCounter() }
        if holder != nil { recorder?.record(.gilWait) }
        waiting += 1
        while true {
            // Closed while this thread waited: it never gets the lock, even if it is free
            // now (the holder it waited for may have parked already, asking nobody to drop).
            if closed {
                waiting -= 1
                parkForGood()
            }
            guard holder != nil else { break }
            let seenSwitch = switchNumber
            let woken = condition.wait(until: Date(timeIntervalSinceNow: Self.switchInterval))
            if !woken && holder != nil && switchNumber == seenSwitch {
                requestDrop()  // a whole interval, no switch: ask
            }
        }
        waiting -= 1
        holder = .current
        holderTID = KernelThreadID.current
        heldSince = time.perfCounter()
        depth = newDepth
        switchNumber &+= 1
        Self.heldKey.value = Unmanaged.passUnretained(self).toOpaque()
        recorder?.record(.running)
        // The request (ours or another waiter's) is served; others will ask again.
        if dropRequest.exchange(false, ordering: .relaxed) {
            Self.pendingDropRequests.subtract(1, ordering: .relaxed)
        }
        condition.broadcast()  // a holder in evalBreaker waits for this switch
    }

    /// After the kernel's shutdown: a thread asking for the lock never gets it; the holder
    /// is asked to drop it, so a thread computing on gives it up at its next `evalBreaker`.
    func shutDown() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        if holder != nil { requestDrop() }
        condition.broadcast()
    }

    private func parkForGood() -> Never {
        // A holder still computing must see the request to give the lock up and park too.
        if holder == nil, dropRequest.exchange(false, ordering: .relaxed) {
            Self.pendingDropRequests.subtract(1, ordering: .relaxed)
        }
        condition.broadcast()
        condition.unlock()
        KernelState.park()
    }

    private func requestDrop() {
        if !dropRequest.exchange(true, ordering: .relaxed) {
            Self.pendingDropRequests.add(1, ordering: .relaxed)
        }
    }

    private func drop() {
        if Self.heldKey.value == Unmanaged.passUnretained(self).toOpaque() {
            Self.heldKey.value = nil
        }
        holder = nil
        depth = 0
        condition.broadcast()
    }
}

/// The calling thread's kernel thread id (what /proc/self/task/ lists), read once per thread
/// from /proc/thread-self and kept in a thread-specific slot, so taking the GIL stays cheap.
private enum KernelThreadID {
    static let key = ThreadSpecificKey.processWide()

    static var current: pid_t {
        if let saved = key.value { return pid_t(truncatingIfNeeded: Int(bitPattern: saved)) }
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        // "PID/task/TID"
        let link = count > 0 ? String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let tid = link.split(separator: "/").last.flatMap { pid_t($0) } ?? 0
        key.value = UnsafeMutableRawPointer(bitPattern: Int(tid))
        return tid
    }
}
