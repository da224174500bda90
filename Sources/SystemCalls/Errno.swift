import Glibc

/// The error number of a failed system call, kept with the error so callers and tests can
/// tell a full disk from a missing permission (after swift-system's `Errno`). Its
/// description is the C library's text for it (`strerror`), which is also what CPython prints.
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    /// The number, as C's `errno`.
    public let rawValue: Int32

    /// The error of this number.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The calling thread's `errno`, read right after the call that failed.
    public static var current: Errno { Errno(rawValue: errno) }

    package static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    package static let interrupted = Errno(rawValue: EINTR)
    package static let permissionDenied = Errno(rawValue: EACCES)
    package static let notPermitted = Errno(rawValue: EPERM)
    package static let isDirectory = Errno(rawValue: EISDIR)
    package static let fileTooLarge = Errno(rawValue: EFBIG)
    package static let noSpace = Errno(rawValue: ENOSPC)
    package static let readOnlyFileSystem = Errno(rawValue: EROFS)
    package static let brokenPipe = Errno(rawValue: EPIPE)
    package static let noSuchProcess = Errno(rawValue: ESRCH)
    package static let noChildProcess = Errno(rawValue: ECHILD)
    package static let badFileDescriptor = Errno(rawValue: EBADF)
    package static let invalidArgument = Errno(rawValue: EINVAL)
    package static let tooManyOpenFiles = Errno(rawValue: EMFILE)
    package static let connectionReset = Errno(rawValue: ECONNRESET)
    /// `EAGAIN` (`EWOULDBLOCK` on Linux): a non-blocking call that would have to wait.
    package static let wouldBlock = Errno(rawValue: EAGAIN)

    /// The C library's text (`strerror`), which CPython prints too.
    public var description: String { String(cString: strerror(rawValue)) }

    /// The `OSError` subclass CPython raises for this number (`OSError(errno, text)` picks
    /// it: Objects/exceptions.c, `_PyExc_InitState`'s errno map), e.g. `BrokenPipeError`.
    public var pythonExceptionName: String {
        switch rawValue {
        case EAGAIN, EALREADY, EINPROGRESS: "BlockingIOError"  // EWOULDBLOCK == EAGAIN on Linux
        case ECHILD: "ChildProcessError"
        case EPIPE, ESHUTDOWN: "BrokenPipeError"
        case ECONNABORTED: "ConnectionAbortedError"
        case ECONNREFUSED: "ConnectionRefusedError"
        case ECONNRESET: "ConnectionResetError"
        case EEXIST: "FileExistsError"
        case ENOENT: "FileNotFoundError"
        case EISDIR: "IsADirectoryError"
        case ENOTDIR: "NotADirectoryError"
        case EINTR: "InterruptedError"
        case EACCES, EPERM: "PermissionError"
        case ESRCH: "ProcessLookupError"
        case ETIMEDOUT: "TimeoutError"
        default: "OSError"
        }
    }
}
