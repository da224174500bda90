import Glibc

/// A pthread mutex with a condition variable on the monotonic clock: the asyncio event loop's
/// one lock, and what its thread sleeps on until work arrives or the next timer is due.
/// pthread primitives, so ThreadSanitizer sees every hand-over between threads.
package final class MonotonicCondition: @unchecked Sendable {
    // @unchecked: the pointers are fixed for the object's life and only used through pthreads.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    package func withLock<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits (the lock held) until `signal()` or until `deadline` on `Clock.monotonic`'s
    /// clock; `nil` waits for a signal only. Spurious wake-ups happen: callers re-check.
    package func wait(until deadline: Double?) {
        guard let deadline else {
            pthread_cond_wait(condition, mutex)
            return
        }
        let whole = deadline.rounded(.down)
        var time = timespec(tv_sec: Int(whole), tv_nsec: min(999_999_999, Int((deadline - whole) * 1e9)))
        pthread_cond_timedwait(condition, mutex, &time)
    }

    /// Wakes the waiting loop thread (call with the lock held).
    package func signal() {
        pthread_cond_signal(condition)
    }
}
