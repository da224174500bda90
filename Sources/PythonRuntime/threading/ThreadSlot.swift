import Foundation

/// What `threading.current_thread()` needs to know about the calling OS thread: the
/// `PyThread` whose target it is running, or the interpreter it is the main thread of.
/// A thread-local; only its own thread touches it, and both fields are set and cleared
/// around the code they describe (threads are reused by `ThreadCache` afterwards).
final class ThreadSlot {
    var thread: PyThread?
    var mainOf: PyInterpreter?

    /// The calling thread's slot, created on first use and released when the thread exits.
    static var current: ThreadSlot {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<ThreadSlot>.fromOpaque(raw).takeUnretainedValue()
        }
        let slot = ThreadSlot()
        pthread_setspecific(key, Unmanaged.passRetained(slot).toOpaque())
        return slot
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<AnyObject>.fromOpaque(raw).release()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()
}

/// Python's `threading.get_ident()`: the calling OS thread's identifier (its `pthread_t`,
/// as CPython's is), unique among the threads alive at one time.
public func getIdent() -> Int {
    Int(bitPattern: UInt(pthread_self()))
}

/// Python's `threading.get_native_id()`: the kernel's id of the calling thread (`gettid`,
/// read from the `/proc/thread-self` link, "<pid>/task/<tid>", since Swift cannot call
/// `syscall`); -1 if /proc is not mounted.
public func getNativeID() -> Int {
    var buffer = [CChar](repeating: 0, count: 64)
    let length = readlink("/proc/thread-self", &buffer, buffer.count - 1)
    guard length > 0 else { return -1 }
    let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return link.split(separator: "/").last.flatMap { Int($0) } ?? -1
}
