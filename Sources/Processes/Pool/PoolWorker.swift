import Foundation
import Futures
import SystemCalls

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

    /// Sends `request`; a worker that died is `EPIPE`/`ECONNRESET` (its reader thread sees
    /// the end of its stream too), and a worker already closed here is `EBADF`.
    func send(_ request: CallRequest) throws(SystemCallError) {
        let result: Result<Void, SystemCallError> = descriptor.withLock { fd in
            guard let fd else { return .failure(SystemCallError("send", .badFileDescriptor)) }
            return Result { () throws(SystemCallError) in try Framing.send(request.encoded(), on: fd) }
        }
        try result.get()
    }

    /// The worker reads end-of-file and exits once it has answered what it holds.
    func retire() {
        descriptor.withLock { fd in
            // ENOTCONN when the worker is gone already: its reader thread sees that.
            if let fd { try? Syscall.shutdownWriting(fd) }
        }
    }

    /// Blocks for the next reply; `nil` when the worker has exited or died (the end of its
    /// stream). A reply that can't be read or decoded is thrown.
    func receive() throws -> CallReply? {
        guard let body = try Framing.receive(on: readDescriptor) else { return nil }
        guard let reply = CallReply(decoding: body) else { throw FramingError.malformed }
        return reply
    }

    /// Called by the reader thread only, after its last `receive`.
    func close() {
        descriptor.withLock { fd in
            if let open = fd { Syscall.closeIgnoringErrors(open) }  // a socket: nothing left to flush
            fd = nil
        }
    }

    /// A connected socket pair: the parent's end and the worker's (both close-on-exec;
    /// the spawn duplicates the worker's end to fd 3 without the flag).
    static func socketPair() throws(SystemCallError) -> (parent: Int32, child: Int32) {
        try Syscall.socketPair()
    }
}
