#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `read(2)`, named apart from `NotebookFile.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

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

    /// The whole file. A directory, a device or a missing path is an `.io` error.
    public static func readBytes(_ path: String) throws(NotebookError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO named like a notebook must not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw .io(errno == ENOENT ? "no such file or directory" : "cannot open: \(systemError())")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .io("cannot stat: \(systemError())") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw .io("is a directory, not a notebook file") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .io("is not a regular file") }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        // Read until EOF rather than trusting st_size: the file may grow while we read.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemRead(descriptor, base + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io("cannot read: \(systemError())")
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    static func systemError(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
