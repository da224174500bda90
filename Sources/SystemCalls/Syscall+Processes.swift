import Glibc

/// The socket, signal, wait and shared-memory calls of the process layer (Futures' process
/// pools and `multiprocessing` look-alikes): each failure is a `SystemCallError` naming the call.
extension Syscall {
    /// A connected pair of Unix stream sockets, both close-on-exec.
    package static func socketPair() throws(SystemCallError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        try check("socketpair") {
            socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds)
        }
        return (fds[0], fds[1])
    }

    /// Sends every byte with `MSG_NOSIGNAL`: a peer that is gone is `EPIPE`, not a SIGPIPE.
    package static func sendAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) {
        guard let base = bytes.baseAddress else { return }
        var sent = 0
        while sent < bytes.count {
            sent += try retryOnInterrupt("send") {
                Glibc.send(descriptor, base + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
        }
    }

    /// Fills `buffer` from `descriptor`; the number of bytes read, less than `buffer.count`
    /// only when the stream ended first.
    package static func readFully(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer
    ) throws(SystemCallError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try readSome(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// `shutdown(fd, SHUT_WR)`: the peer reads end-of-file.
    package static func shutdownWriting(_ descriptor: Int32) throws(SystemCallError) {
        try check("shutdown") { Glibc.shutdown(descriptor, Int32(SHUT_WR)) }
    }

    /// `kill(pid, signal)`.
    package static func signal(_ pid: pid_t, _ signal: Int32) throws(SystemCallError) {
        try check("kill") { Glibc.kill(pid, signal) }
    }

    /// Waits until `pid` has exited without reaping it (`waitid(WEXITED | WNOWAIT)`), so its
    /// pid cannot be reused meanwhile. With `blocking: false`, whether it has exited yet.
    @discardableResult
    package static func waitWithoutReaping(_ pid: pid_t, blocking: Bool = true) throws(SystemCallError) -> Bool {
        var info = siginfo_t()
        try retryOnInterrupt("waitid") {
            waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | (blocking ? 0 : WNOHANG))
        }
        return info._sifields._sigchld.si_pid == pid
    }

    /// Reaps `pid`, which has exited, and returns its status as Python's `exitcode`: the exit
    /// status, or minus the signal that killed it.
    package static func reap(_ pid: pid_t) throws(SystemCallError) -> Int32 {
        var status: Int32 = 0
        try retryOnInterrupt("waitpid") { waitpid(pid, &status, 0) }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : -signal
    }

    /// User and system CPU seconds of this process's children that have been reaped
    /// (`getrusage(RUSAGE_CHILDREN)`).
    package static func reapedChildrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// `ftruncate`: sets the file's size.
    package static func resize(_ descriptor: Int32, to size: Int) throws(SystemCallError) {
        try retryOnInterrupt("ftruncate") { ftruncate(descriptor, off_t(size)) }
    }

    /// Maps `size` bytes of `descriptor` readable, writable and shared with other processes.
    package static func mapShared(_ descriptor: Int32, size: Int) throws(SystemCallError) -> UnsafeMutableRawPointer {
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw .current("mmap") }
        return address
    }

    package static func unmap(_ address: UnsafeMutableRawPointer, size: Int) {
        // Fails only for an address that was never mapped.
        _ = munmap(address, size)
    }

    /// Sets or clears `FD_CLOEXEC`: whether children started from here inherit the fd.
    package static func setCloseOnExec(_ descriptor: Int32, _ closeOnExec: Bool = true) throws(SystemCallError) {
        let flags = try check("fcntl") { fcntl(descriptor, F_GETFD) }
        try check("fcntl") { fcntl(descriptor, F_SETFD, closeOnExec ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC) }
    }
}
