import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One call waiting for, or running in, a worker, with its future's types erased.
struct PoolCall: Sendable {
    let function: String
    let payload: [UInt8]
    /// Marks the future running; `false` if it was cancelled meanwhile (then it is skipped).
    let start: @Sendable () -> Bool
    /// Completes the future from the worker's reply (or a failure of the pool).
    let finish: @Sendable (Result<[UInt8], any Error>) -> Void
    let cancel: @Sendable () -> Void
}

/// The parent's end of one worker process: its pid and the socket to it.
///
/// The socket is written by whichever thread dispatches a call and read only by the worker's
/// reader thread; `descriptor` is closed by the reader once the worker is gone, under the same
/// lock the writers take, so a write never lands on a closed (or reused) fd.
final class PoolWorker: Sendable {
    let pid: pid_t
    private let descriptor: Locked<Int32?>
    private let readDescriptor: Int32

    init(pid: pid_t, socket: Int32) {
        self.pid = pid
        self.descriptor = Locked(socket)
        self.readDescriptor = socket
    }

    func send(_ request: CallRequest) -> Bool {
        descriptor.withLock { fd in
            guard let fd else { return false }
            return Framing.send(request.encoded(), on: fd)
        }
    }

    /// The worker reads end-of-file and exits once it has answered what it holds.
    func retire() {
        descriptor.withLock { fd in
            if let fd { _ = Glibc.shutdown(fd, Int32(SHUT_WR)) }
        }
    }

    /// Blocks for the next reply; `nil` when the worker has exited or died.
    func receive() -> CallReply? {
        Framing.receive(on: readDescriptor).flatMap(CallReply.init(decoding:))
    }

    /// Called by the reader thread only, after its last `receive`.
    func close() {
        descriptor.withLock { fd in
            if let open = fd { _ = Glibc.close(open) }
            fd = nil
        }
    }

    /// A connected socket pair: the parent's end and the worker's (both close-on-exec;
    /// the spawn duplicates the worker's end to fd 3 without the flag).
    static func socketPair() throws -> (parent: Int32, child: Int32) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw PythonError("OSError", "socketpair: \(String(cString: strerror(errno)))")
        }
        return (fds[0], fds[1])
    }
}
