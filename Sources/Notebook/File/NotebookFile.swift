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

    /// The whole file. A directory, a device or a missing path is an error naming `path`.
    public static func readBytes(_ path: String) throws(NotebookError) -> [UInt8] {
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
        Syscall.clearNonBlocking(descriptor)
        // Read until EOF rather than trusting st_size: the file may grow while we read.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
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
