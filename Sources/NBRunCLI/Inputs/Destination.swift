import Foundation
import Notebook
import SystemCalls

/// Where a verb's result goes: a file, replaced atomically, or stdout for `-`.
enum Destination {
    static func write(_ bytes: [UInt8], to path: String) throws(NotebookError) {
        guard path == "-" else { return try AtomicFile.write(bytes, to: path) }
        do throws(SystemCallError) {
            try Terminal.writeOutput(bytes)
        } catch {
            throw .io(path: "stdout", operation: .write, errno: error.errno)
        }
    }
}
