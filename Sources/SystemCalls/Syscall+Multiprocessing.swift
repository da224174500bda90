import Glibc

/// The calls behind the `multiprocessing` look-alikes' queues, pipes and locks: message
/// sockets, readiness polls and process-shared semaphores.
extension Syscall {
    /// A connected pair of Unix `SOCK_SEQPACKET` sockets, both close-on-exec: every send is
    /// one message, received whole by exactly one reader, however many processes read.
    package static func messageSocketPair() throws(SystemCallError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        try check("socketpair") {
            socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        return (fds[0], fds[1])
    }

    /// Sends `bytes` as one message with `MSG_NOSIGNAL`; with `wait: false`, a full socket
    /// is `EAGAIN` instead of a wait.
    package static func sendMessage(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, wait: Bool)
        throws(SystemCallError)
    {
        let flags = Int32(MSG_NOSIGNAL) | (wait ? 0 : Int32(MSG_DONTWAIT))
        try retryOnInterrupt("send") { Glibc.send(descriptor, bytes.baseAddress, bytes.count, flags) }
    }

    /// Receives one message into `buffer`; returns its whole length (more than `buffer.count`
    /// when it was cut short). With `wait: false`, no message is `EAGAIN`.
    package static func receiveMessage(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, wait: Bool)
        throws(SystemCallError) -> Int
    {
        let flags = Int32(MSG_TRUNC) | (wait ? 0 : Int32(MSG_DONTWAIT))
        return try retryOnInterrupt("recv") { Glibc.recv(descriptor, buffer.baseAddress, buffer.count, flags) }
    }

    /// Whether `descriptor` is readable (data, end of file or an error) within `timeout`
    /// seconds (`nil`: wait as long as it takes).
    package static func pollReadable(_ descriptor: Int32, timeout: Double?) throws(SystemCallError) -> Bool {
        let end = timeout.map { Clock.monotonic + $0 }
        while true {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds =
                end.map { Int32(max(0, min(Double(Int32.max), (($0 - Clock.monotonic) * 1000).rounded(.up)))) } ?? -1
            let ready = Glibc.poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready == 0 { return false }
            let error = Errno.current
            if error != .interrupted { throw SystemCallError("poll", error) }
        }
    }

    /// `shutdown(fd, SHUT_RD)`.
    package static func shutdownReading(_ descriptor: Int32) throws(SystemCallError) {
        try check("shutdown") { Glibc.shutdown(descriptor, Int32(SHUT_RD)) }
    }

    /// `fcntl(F_DUPFD_CLOEXEC)`: a second, close-on-exec descriptor for the same file.
    package static func duplicate(_ descriptor: Int32) throws(SystemCallError) -> Int32 {
        try check("fcntl") { fcntl(descriptor, F_DUPFD_CLOEXEC, 0) }
    }

    /// Initialises a process-shared POSIX semaphore at `semaphore` (in shared memory).
    package static func initSharedSemaphore(_ semaphore: UnsafeMutableRawPointer, value: UInt32)
        throws(SystemCallError)
    {
        try check("sem_init") { sem_init(semaphore.assumingMemoryBound(to: sem_t.self), 1, value) }
    }

    /// Takes the semaphore if it is free now; `false` if it is not.
    package static func semaphoreTryWait(_ semaphore: UnsafeMutableRawPointer) throws(SystemCallError) -> Bool {
        while true {
            if sem_trywait(semaphore.assumingMemoryBound(to: sem_t.self)) == 0 { return true }
            let error = Errno.current
            if error == .wouldBlock { return false }
            if error != .interrupted { throw SystemCallError("sem_trywait", error) }
        }
    }

    /// Waits for the semaphore, at most `timeout` seconds (`nil`: without limit); `false` on timeout.
    package static func semaphoreWait(_ semaphore: UnsafeMutableRawPointer, timeout: Double?)
        throws(SystemCallError) -> Bool
    {
        let pointer = semaphore.assumingMemoryBound(to: sem_t.self)
        guard let timeout else {
            try retryOnInterrupt("sem_wait") { sem_wait(pointer) }
            return true
        }
        // sem_timedwait takes a CLOCK_REALTIME deadline (sem_clockwait, monotonic, is not
        // exported to Swift): a wall-clock step during the wait lengthens or shortens it.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanoseconds = Int(now.tv_nsec) + Int((max(0, timeout) * 1e9).rounded())
        var deadline = timespec(tv_sec: now.tv_sec + nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
        while true {
            if sem_timedwait(pointer, &deadline) == 0 { return true }
            let error = Errno.current
            if error == Errno(rawValue: ETIMEDOUT) { return false }
            if error != .interrupted { throw SystemCallError("sem_timedwait", error) }
        }
    }

    package static func semaphorePost(_ semaphore: UnsafeMutableRawPointer) throws(SystemCallError) {
        try check("sem_post") { sem_post(semaphore.assumingMemoryBound(to: sem_t.self)) }
    }

    package static func semaphoreValue(_ semaphore: UnsafeMutableRawPointer) -> Int32 {
        var value: Int32 = 0
        _ = sem_getvalue(semaphore.assumingMemoryBound(to: sem_t.self), &value)  // fails only for a non-semaphore
        return value
    }

    /// The processors online (`sysconf(_SC_NPROCESSORS_ONLN)`, what CPython's `os.cpu_count()` reads).
    package static func processorsOnline() -> Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}
