import Foundation

/// Python's `os` module, as far as paths go: the working directory is the notebook's folder,
/// where nbclient runs the kernel (`PyInterpreter.notebookFolder`).
public enum os {
    /// Python: `os.getcwd()`: the notebook's folder in a cell, else the process's.
    public static func getcwd() -> String {
        PyInterpreter.current?.notebookFolder ?? FileManager.default.currentDirectoryPath
    }

    /// Python's `os.path`.
    public enum path {
        /// Python: `os.path.join(a, *p)`: a component starting with `/` starts over.
        public static func join(_ first: String, _ rest: String...) -> String {
            rest.reduce(first) { path, next in
                if next.hasPrefix("/") { return next }
                if path.isEmpty || path.hasSuffix("/") { return path + next }
                return path + "/" + next
            }
        }

        /// Python: `os.path.abspath(p)`: against the notebook's folder, normalised.
        public static func abspath(_ path: String) -> String {
            URL(fileURLWithPath: resolve(path)).standardizedFileURL.path
        }

        /// Python: `os.path.exists(p)`.
        public static func exists(_ path: String) -> Bool {
            FileManager.default.fileExists(atPath: resolve(path))
        }

        /// Python: `os.path.isfile(p)`.
        public static func isfile(_ path: String) -> Bool {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: resolve(path), isDirectory: &directory)
                && !directory.boolValue
        }

        /// Python: `os.path.isdir(p)`.
        public static func isdir(_ path: String) -> Bool {
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: resolve(path), isDirectory: &directory) && directory.boolValue
        }

        /// A path as the kernel's working directory would read it: relative ones under the
        /// notebook's folder.
        static func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : join(getcwd(), path)
        }
    }
}
