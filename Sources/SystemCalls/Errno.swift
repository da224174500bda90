import Glibc

/// The error number of a failed system call, kept with the error so callers and tests can
/// tell a full disk from a missing permission (after swift-system's `Errno`). Its
/// description is the C library's text for it (`strerror`), which is also what CPython prints.
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The calling thread's `errno`, read right after the call that failed.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    public static let interrupted = Errno(rawValue: EINTR)
    public static let permissionDenied = Errno(rawValue: EACCES)
    public static let notPermitted = Errno(rawValue: EPERM)
    public static let isDirectory = Errno(rawValue: EISDIR)
    public static let fileTooLarge = Errno(rawValue: EFBIG)
    public static let noSpace = Errno(rawValue: ENOSPC)
    public static let readOnlyFileSystem = Errno(rawValue: EROFS)
    public static let brokenPipe = Errno(rawValue: EPIPE)
    public static let noSuchProcess = Errno(rawValue: ESRCH)
    public static let noChildProcess = Errno(rawValue: ECHILD)
    public static let badFileDescriptor = Errno(rawValue: EBADF)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let tooManyOpenFiles = Errno(rawValue: EMFILE)

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
