import Engine
import Foundation
import PythonRuntime

/// `run --timeline DIR`: every run cell's picture as `DIR/NOTEBOOK/DEMO.svg`.
enum TimelineFiles {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot write timeline \(path): \(reason)" }
    }

    /// Writes `result`'s timelines under `directory`; returns the files written.
    static func write(_ result: RunResult, under directory: String) throws(WriteError) -> [String] {
        let notebook = RunPlan.notebookName(of: result.path)
        let folder = (directory as NSString).appendingPathComponent(notebook)
        for place in [directory, folder] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: place, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw WriteError(path: place, reason: "it is a file, not a directory")
            }
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: folder, reason: error.localizedDescription)
        }
        var written: [String] = []
        for (name, timeline) in result.timelines.sorted(by: { $0.key < $1.key }) {
            let path = (folder as NSString).appendingPathComponent(name + ".svg")
            let svg = TimelineSVG(title: "\(notebook)/\(name)").render(timeline)
            do {
                try Data(svg.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw WriteError(path: path, reason: error.localizedDescription)
            }
            written.append(path)
        }
        return written
    }
}
