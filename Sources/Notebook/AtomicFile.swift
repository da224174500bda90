#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file so that, whatever happens (a full disk, a crash, `kill -9`), the path
/// holds either its old content or the whole new one.
///
/// The bytes go to a temporary file in the target's directory (same file system, so the
/// rename is atomic), which is flushed to disk, given the original's mode and owner, and
/// renamed over the target; then the directory itself is synced so the rename survives a
/// power cut. A symlink is followed: its target is replaced and the link stays a link.
/// Temporary files are named `.NAME.nbrun-XXXXXX` and never end in `.ipynb`, so a stray one
/// left by a killed process is never taken for a notebook; the next write of NAME removes
/// those older than an hour.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(NotebookError) {
        let target = resolvedTarget(path)
        let (directory, name) = split(target)
        var existing = stat()
        let exists = stat(target, &existing) == 0
        if exists, (existing.st_mode & S_IFMT) == S_IFDIR { throw .io("is a directory, not a notebook file") }
        // Never replace a FIFO, device or socket with a regular file.
        if exists, (existing.st_mode & S_IFMT) != S_IFREG { throw .io("is not a regular file") }

        var template = Array("\(directory)/.\(name).nbrun-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw .io("cannot write in \(directory): \(NotebookFile.systemError())") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        do throws(NotebookError) {
            try writeAll(bytes, to: descriptor)
            if exists {
                _ = fchmod(descriptor, existing.st_mode & 0o7777)
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)  // may be refused: keep ours then
            } else {
                let mask = umask(0)
                umask(mask)
                _ = fchmod(descriptor, 0o666 & ~mask)
            }
            guard fsync(descriptor) == 0 else { throw .io("cannot flush to disk: \(NotebookFile.systemError())") }
            closed = true
            guard close(descriptor) == 0 else { throw .io("cannot write: \(NotebookFile.systemError())") }
            guard rename(temporary, target) == 0 else { throw .io("cannot replace the file: \(NotebookFile.systemError())") }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
        syncDirectory(directory)
        removeStaleTemporaries(of: name, in: directory)
    }

    /// A temporary file left by a write that was killed (`kill -9`, power loss) is removed by
    /// the next write of the same file, once it is an hour old: no write takes that long, so
    /// a concurrent run's temporary file is never touched.
    private static func removeStaleTemporaries(of name: String, in directory: String) {
        guard let stream = opendir(directory) else { return }
        defer { closedir(stream) }
        let prefix = ".\(name).nbrun-"
        let cutoff = time(nil) - 3600
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix), entryName.count == prefix.count + 6 else { continue }
            let path = "\(directory)/\(entryName)"
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mtim.tv_sec < cutoff {
                unlink(path)
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(NotebookError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot write: \(NotebookFile.systemError())")
            }
            written += count
        }
    }

    /// The file a path finally names: symlinks followed, so the link itself survives.
    private static func resolvedTarget(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {  // as many hops as the kernel allows before ELOOP
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { return current }
            let link = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : "\(split(current).directory)/\(link)"
        }
        return current
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
