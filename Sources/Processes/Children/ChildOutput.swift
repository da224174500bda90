import Foundation
import Futures

#if canImport(Glibc)
    import Glibc
#endif

/// What a child process writes on its fds 1 and 2, read by the parent and handed to its
/// scope's sink: under ipykernel a forked child's output reaches the cell running at that
/// moment (the kernel captures fds 1 and 2), so nbrun gives a notebook's children pipes and
/// passes what they write to the notebook's output capture (`ProcessScope.captureOutput`).
enum ChildOutput {
    /// Pipes for a child's fds 1 and 2: the write ends go to the child, the read ends to
    /// `pump`. Both pairs are made close-on-exec (Glibc's module map hides `pipe2`); a child
    /// spawned meanwhile does not inherit them either way, since a spawned child keeps only
    /// the fds it is given (`cprocess_spawn_io`).
    static func pipes() throws -> (write: (out: Int32, err: Int32), read: (out: Int32, err: Int32)) {
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else { throw builtins.OSError("pipe: errno \(errno)") }
        guard pipe(&err) == 0 else {
            for fd in out { close(fd) }
            throw builtins.OSError("pipe: errno \(errno)")
        }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return ((out[1], err[1]), (out[0], err[0]))
    }

    /// Reads both read ends on a thread of its own until the child has closed them (it
    /// exited), handing each chunk to `sink` (`isError`: it came from fd 2). UTF-8 split
    /// across two reads is put back together.
    static func pump(
        _ pid: pid_t, out: Int32, err: Int32, sink: @escaping @Sendable (_ isError: Bool, String) -> Void
    ) {
        let drained = DispatchSemaphore(value: 0)
        pumps.withLock { $0[pid] = drained }
        let thread = Thread {
            defer {
                pumps.withLock { $0[pid] = nil }
                drained.signal()
            }
            var open: [(fd: Int32, isError: Bool, pending: [UInt8])] = [(out, false, []), (err, true, [])]
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !open.isEmpty {
                var polled = open.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                guard poll(&polled, nfds_t(polled.count), -1) >= 0 else {
                    if errno == EINTR { continue }
                    break
                }
                for index in polled.indices.reversed() where polled[index].revents != 0 {
                    let count = read(open[index].fd, &buffer, buffer.count)
                    if count > 0 {
                        let bytes = open[index].pending + buffer[..<count]
                        let complete = completeUTF8Prefix(bytes)
                        open[index].pending = Array(bytes[complete...])
                        if complete > 0 {
                            sink(open[index].isError, String(decoding: bytes[..<complete], as: UTF8.self))
                        }
                    } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                        if !open[index].pending.isEmpty {
                            sink(open[index].isError, String(decoding: open[index].pending, as: UTF8.self))
                        }
                        close(open[index].fd)
                        open.remove(at: index)
                    }
                }
            }
            for entry in open { close(entry.fd) }
        }
        thread.name = "Processes.output"
        thread.stackSize = 128 * 1024
        thread.start()
    }

    /// The pumps still reading, by child pid; each signals its semaphore at the end.
    private static let pumps = Locked<[pid_t: DispatchSemaphore]>([:])

    /// Waits until the pump of `pid` (if any) has read everything, at most `timeout` seconds.
    static func waitUntilDrained(_ pid: pid_t, timeout: Double) {
        guard let drained = pumps.withLock({ $0[pid] }) else { return }
        if drained.wait(timeout: .now() + timeout) == .success { drained.signal() }
    }

    /// How many leading bytes of `bytes` end on a UTF-8 character boundary (an incomplete
    /// sequence at the end waits for the next read).
    static func completeUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        // At most three continuation bytes follow a lead byte.
        while start > 0 && bytes.count - start < 4 {
            start -= 1
            let byte = bytes[start]
            if byte & 0xC0 == 0x80 { continue }  // a continuation byte: look further back
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return bytes.count - start >= length ? bytes.count : start
        }
        return bytes.count
    }
}
