import Glibc

/// The libc calls nbrun makes, in one place (as swift-system's `Internals/Syscalls.swift`):
/// `errno` is captured right after the call that set it, `EINTR` is retried here and nowhere
/// else, and a failure is a `SystemCallError` naming the call. The names (`readSome`,
/// `writeAll`) do not clash with `NotebookFile.read` or `AtomicFile.write`. Why an own layer
/// rather than apple/swift-system: docs/system-layer.md.
package enum Syscall {
    /// Runs `call` (named `name` in errors) until it does not fail with `EINTR`; a negative
    /// result is thrown with the `errno` it left.
    @discardableResult
    package static func retryOnInterrupt<Result: BinaryInteger>(
        _ name: String, _ call: () -> Result
    ) throws(SystemCallError) -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            let error = Errno.current
            if error != .interrupted { throw SystemCallError(name, error) }
        }
    }

    /// Runs `call` once; a negative result is thrown with its `errno` (for calls that must not
    /// be retried, or cannot be interrupted).
    @discardableResult
    package static func check<Result: BinaryInteger>(
        _ name: String, _ call: () -> Result
    ) throws(SystemCallError) -> Result {
        let result = call()
        guard result >= 0 else { throw SystemCallError(name, .current) }
        return result
    }

    /// For the pthread-style calls that return an error number instead of setting `errno`.
    package static func checkStatus(_ name: String, _ status: Int32) throws(SystemCallError) {
        guard status == 0 else { throw SystemCallError(name, Errno(rawValue: status)) }
    }

    package static func open(_ path: String, _ flags: Int32) throws(SystemCallError) -> Int32 {
        try retryOnInterrupt("open") { Glibc.open(path, flags) }
    }

    /// Closes `descriptor`; its error still matters for a file just written (NFS reports there).
    package static func close(_ descriptor: Int32) throws(SystemCallError) {
        // Never retried: on Linux the descriptor is gone even when close reports EINTR.
        try check("close") { Glibc.close(descriptor) }
    }

    package static func closeIgnoringErrors(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    package static func fileStatus(_ descriptor: Int32) throws(SystemCallError) -> stat {
        var status = stat()
        try retryOnInterrupt("fstat") { fstat(descriptor, &status) }
        return status
    }

    /// `stat` (or `lstat`, when not following a final symlink); nil when the path cannot be read.
    package static func status(_ path: String, followingLinks: Bool = true) -> stat? {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        return result == 0 ? status : nil
    }

    package static func clearNonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    }

    /// One `read(2)` into `buffer`: the number of bytes read, 0 at end of file.
    package static func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer)
        throws(SystemCallError)
        -> Int
    {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try retryOnInterrupt("read") { Glibc.read(descriptor, base, buffer.count) }
    }

    /// Writes every byte, however many `write(2)` calls that takes.
    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) {
        guard let base = bytes.baseAddress else { return }
        var written = 0
        while written < bytes.count {
            written += try retryOnInterrupt("write") { Glibc.write(descriptor, base + written, bytes.count - written) }
        }
    }

    /// Writes `text` to fd 2 as far as it goes: for diagnostics of a process with nobody to
    /// tell when stderr is full or closed (Foundation's `FileHandle.write(_:)` traps there).
    package static func writeToStandardError(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { try? writeAll(STDERR_FILENO, $0) }
    }

    /// `mkstemp`: a new file from `template` (ending in `XXXXXX`), open for writing.
    package static func makeTemporary(_ template: String) throws(SystemCallError) -> (descriptor: Int32, path: String) {
        var name = Array(template.utf8CString)
        let descriptor = name.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw SystemCallError("mkstemp", .current) }
        return (descriptor, String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The permission bits a new file gets from the process's umask.
    package static func defaultFileMode() -> mode_t {
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    package static func setMode(_ descriptor: Int32, _ mode: mode_t) {
        _ = fchmod(descriptor, mode & 0o7777)
    }

    /// May be refused (not root): the file then keeps the writer's owner.
    package static func setOwner(_ descriptor: Int32, user: uid_t, group: gid_t) {
        _ = fchown(descriptor, user, group)
    }

    package static func sync(_ descriptor: Int32) throws(SystemCallError) {
        try retryOnInterrupt("fsync") { fsync(descriptor) }
    }

    /// Flushes a directory's entries (a rename in it) to disk; best effort.
    package static func syncDirectory(_ path: String) {
        guard let descriptor = try? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) else { return }
        _ = try? sync(descriptor)
        closeIgnoringErrors(descriptor)
    }

    package static func rename(_ source: String, to target: String) throws(SystemCallError) {
        try check("rename") { Glibc.rename(source, target) }
    }

    package static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }

    /// Where a symlink points, as written in the link; nil when `path` is not one.
    package static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a directory (`.` and `..` included); empty when it cannot be read.
    package static func directoryEntries(_ path: String) -> [String] {
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

    package static func secondsSinceEpoch() -> Int {
        Int(time(nil))
    }
}

extension stat {
    package var isDirectory: Bool { (st_mode & S_IFMT) == S_IFDIR }
    package var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    package var isSymbolicLink: Bool { (st_mode & S_IFMT) == S_IFLNK }
}
