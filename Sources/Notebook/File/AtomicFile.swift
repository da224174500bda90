import Glibc
import SystemCalls

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
    /// Replaces the file at `path` with `bytes` all at once (a temporary file renamed over it): on any failure the old file is left as it was.
    public static func write(_ bytes: [UInt8], to path: String) throws(NotebookError) {
        // A symlink loop names no file: refused, never replaced by one (ELOOP, as open says).
        guard let target = resolvedTarget(path) else {
            throw .io(path: path, operation: .replace, errno: Errno(rawValue: ELOOP))
        }
        let (directory, name) = split(target)
        let existing = Syscall.status(target)
        // Never replace a directory, FIFO, device or socket with a regular file.
        if let existing, !existing.isRegularFile {
            throw .notRegularFile(path: path, isDirectory: existing.isDirectory)
        }
        func failed(_ operation: FileOperation, _ error: SystemCallError) -> NotebookError {
            .io(path: path, operation: operation, errno: error.errno)
        }

        let descriptor: Int32, temporary: String
        do throws(SystemCallError) {
            (descriptor, temporary) = try Syscall.makeTemporary("\(directory)/.\(name).nbrun-XXXXXX")
        } catch {
            throw failed(.createTemporary(in: directory), error)
        }
        var closed = false
        do throws(NotebookError) {
            do throws(SystemCallError) {
                try bytes.withRawBytes { (buffer) throws(SystemCallError) in try Syscall.writeAll(descriptor, buffer) }
            } catch { throw failed(.write, error) }
            if let existing {
                Syscall.setMode(descriptor, existing.st_mode)
                Syscall.setOwner(descriptor, user: existing.st_uid, group: existing.st_gid)
            } else {
                Syscall.setMode(descriptor, Syscall.defaultFileMode())
            }
            do throws(SystemCallError) { try Syscall.sync(descriptor) } catch { throw failed(.flush, error) }
            closed = true
            do throws(SystemCallError) { try Syscall.close(descriptor) } catch { throw failed(.write, error) }
            do throws(SystemCallError) { try Syscall.rename(temporary, to: target) } catch {
                throw failed(.replace, error)
            }
        } catch {
            if !closed { Syscall.closeIgnoringErrors(descriptor) }
            Syscall.unlink(temporary)
            throw error
        }
        Syscall.syncDirectory(directory)
        removeStaleTemporaries(of: name, in: directory)
    }

    /// A temporary file left by a write that was killed (`kill -9`, power loss) is removed by
    /// the next write of the same file, once it is an hour old: no write takes that long, so
    /// a concurrent run's temporary file is never touched.
    private static func removeStaleTemporaries(of name: String, in directory: String) {
        let prefix = ".\(name).nbrun-"
        let cutoff = Syscall.secondsSinceEpoch() - 3600
        for entry in Syscall.directoryEntries(directory)
        where entry.hasPrefix(prefix) && entry.count == prefix.count + 6 {
            let path = "\(directory)/\(entry)"
            if let info = Syscall.status(path, followingLinks: false), info.isRegularFile, info.st_mtim.tv_sec < cutoff
            {
                Syscall.unlink(path)
            }
        }
    }

    /// The file a path finally names: symlinks followed, so the link itself survives; nil
    /// for a loop (or a chain longer than the kernel follows).
    private static func resolvedTarget(_ path: String) -> String? {
        var current = path
        for _ in 0...40 {  // as many hops as the kernel allows before ELOOP
            guard let info = Syscall.status(current, followingLinks: false), info.isSymbolicLink,
                let link = Syscall.readLink(current)
            else { return current }
            current = link.hasPrefix("/") ? link : "\(split(current).directory)/\(link)"
        }
        return nil
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
