import Glibc
import SystemCalls

/// Reading and writing notebook files. Reads refuse what is not a regular file; writes
/// go through `AtomicFile`, so a file on disk is always either the old or the new one.
public enum NotebookFile {
    /// Reads and decodes the notebook at `path`.
    public static func read(_ path: String) throws(NotebookError) -> Notebook {
        let bytes = try readBytes(path)
        return try decode(bytes)
    }

    /// Decodes notebook bytes.
    public static func decode(_ bytes: [UInt8]) throws(NotebookError) -> Notebook {
        try Notebook(json: JSONReader.parse(bytes))
    }

    /// Writes `notebook` canonically to `path`, atomically.
    public static func write(_ notebook: Notebook, to path: String) throws(NotebookError) {
        try AtomicFile.write(notebook.canonicalBytes(), to: path)
    }

    /// The largest file nbrun reads: 256 MB. A notebook takes several times its size in
    /// memory once parsed, and the size is checked before anything is read, so a 16 GB file
    /// is refused at once instead of exhausting memory.
    public static let sizeLimit = 256 << 20

    /// The whole file. A directory, a device, a missing path or a file larger than
    /// `sizeLimit` is an error naming `path`.
    public static func readBytes(_ path: String, sizeLimit: Int = sizeLimit) throws(NotebookError) -> [UInt8] {
        func failed(_ operation: FileOperation, _ error: SystemCallError) -> NotebookError {
            .io(path: path, operation: operation, errno: error.errno)
        }
        let descriptor: Int32
        do throws(SystemCallError) {
            // O_NONBLOCK: opening a FIFO named like a notebook must not wait for a writer.
            descriptor = try Syscall.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        } catch {
            throw failed(.open, error)
        }
        defer { Syscall.closeIgnoringErrors(descriptor) }
        let status: stat
        do throws(SystemCallError) { status = try Syscall.fileStatus(descriptor) } catch {
            throw failed(.inspect, error)
        }
        guard status.isRegularFile else { throw .notRegularFile(path: path, isDirectory: status.isDirectory) }
        let size = max(Int(status.st_size), 0)
        guard size <= sizeLimit else { throw .tooLarge(bytes: size, limit: sizeLimit) }
        Syscall.clearNonBlocking(descriptor)
        // Read until EOF rather than trusting st_size: the file may grow while we read.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while true {
            // A file that grows past the limit while it is read is refused too.
            guard filled <= sizeLimit else { throw .tooLarge(bytes: filled, limit: sizeLimit) }
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, sizeLimit + 1 - filled)))
            }
            let count: Int
            do throws(SystemCallError) {
                count = try bytes.withMutableRawBytes { (buffer) throws(SystemCallError) in
                    try Syscall.readSome(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                }
            } catch {
                throw failed(.read, error)
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}
