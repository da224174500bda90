import Foundation
import SystemCalls

/// Expands command-line paths into notebook files: a file is taken as given; a directory
/// is searched recursively for `*.ipynb`, skipping `.ipynb_checkpoints` and hidden folders.
enum NotebookPaths {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    static func expand(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        for argument in arguments {
            var status = stat()
            guard stat(argument, &status) == 0 else {
                // Said as the system says it: a symlink loop is not a missing file.
                let error = Errno.current
                throw Missing(
                    path: argument,
                    reason: error == .noSuchFileOrDirectory ? "no such file or directory" : "\(error)")
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                let found = notebooks(under: argument)
                guard !found.isEmpty else {
                    throw Missing(path: argument, reason: "no notebooks (*.ipynb) in this directory")
                }
                result += found
            } else {
                result.append(argument)
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    private static func notebooks(under directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory)
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isDirectoryKey], options: [.skipsHiddenFiles]
            )
        else { return [] }
        var found: [String] = []
        for case let url as URL in walker {
            if url.lastPathComponent == ".ipynb_checkpoints" {
                walker.skipDescendants()
                continue
            }
            if url.pathExtension == "ipynb",
                (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true
            {
                let relative = String(url.path.dropFirst(root.path.count))
                found.append(
                    directory.hasSuffix("/") ? directory + relative.drop(while: { $0 == "/" }) : directory + relative)
            }
        }
        return found.sorted()
    }
}
