import Glibc

/// Every libc file call the Notebook module makes, in one place (as swift-system's
/// `Internals/Syscalls.swift`): `errno` is captured right after the call that set it,
/// `EINTR` is retried here and nowhere else, and the names (`readSome`, `writeAll`) do not
/// clash with `NotebookFile.read` or `AtomicFile.write`.
///
/// An own layer rather than apple/swift-system: of what the module needs (open, fstat,
/// read, write, mkstemp, fchmod, fchown, fsync, rename, readlink, opendir), swift-system
/// 1.8 covers only open/read/write/close, so most calls would still be raw libc.
enum Syscall {
    /// Runs `call` until it does not fail with `EINTR`; a failure is thrown as its `Errno`.
    @discardableResult
    static func retryOnInterrupt<Result: BinaryInteger>(_ call: () -> Result) throws(Errno) -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    static func open(_ path: String, _ flags: Int32) throws(Errno) -> Int32 {
        try retryOnInterrupt { Glibc.open(path, flags) }
    }

    /// Closes `descriptor`; its error still matters for a file just written (NFS reports there).
    static func close(_ descriptor: Int32) throws(Errno) {
        // Never retried: on Linux the descriptor is gone even when close reports EINTR.
        guard Glibc.close(descriptor) == 0 else { throw .current }
    }

    static func closeIgnoringErrors(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    static func fileStatus(_ descriptor: Int32) throws(Errno) -> stat {
        var status = stat()
        try retryOnInterrupt { fstat(descriptor, &status) }
        return status
    }

    /// `stat` (or `lstat`, when not following a final symlink); nil when the path cannot be read.
    static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        return result == 0 ? status : nil
    }

    static func clearNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    }

    /// One `read(2)` into `buffer`: the number of bytes read, 0 at end of file.
    static func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retryOnInterrupt { Glibc.read(descriptor, base, buffer.count) }
    }

    /// Writes every byte, however many `write(2)` calls that takes.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            written += try retryOnInterrupt { Glibc.write(descriptor, base + written, bytes.count - written) }
        }
    }

    /// `mkstemp`: a new file from `template` (ending in `XXXXXX`), open for writing.
    static func makeTemporary(_ template: String) throws(Errno) -> (descriptor: Int32, path: String) {
        var name = Array(template.utf8CString)
        let descriptor = name.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw .current }
        return (descriptor, String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The permission bits a new file gets from the process's umask.
    static func defaultFileMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    static func setMode(_ descriptor: Int32, _ mode: mode_t) {
        _ = fchmod(descriptor, mode & 0o7777)
    }

    /// May be refused (not root): the file then keeps the writer's owner.
    static func setOwner(_ descriptor: Int32, user: uid_t, group: gid_t) {
        _ = fchown(descriptor, user, group)
    }

    static func sync(_ descriptor: Int32) throws(Errno) {
        try retryOnInterrupt { fsync(descriptor) }
    }

    /// Flushes a directory's entries (a rename in it) to disk; best effort.
    static func syncDirectory(_ path: String) {
        guard let descriptor = try? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) else { return }
        _ = try? sync(descriptor)
        closeIgnoringErrors(descriptor)
    }

    static func rename(_ source: String, to target: String) throws(Errno) {
        guard Glibc.rename(source, target) == 0 else { throw .current }
    }

    static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }

    /// Where a symlink points, as written in the link; nil when `path` is not one.
    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a directory (`.` and `..` included); empty when it cannot be read.
    static func directoryEntries(_ path: String) -> [String] {
        guard let stream = opendir(path) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            names.append(
                withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                })
        }
        return names
    }

    static func secondsSinceEpoch() -> Int {
        Int(time(nil))
    }
}

extension stat {
    var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }
    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isSymbolicLink: Bool { (st_mode & S_IFMT) == S_IFLNK }
}
