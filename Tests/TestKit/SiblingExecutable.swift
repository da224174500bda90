import Foundation

/// A program built next to the running test bundle (`.build/debug/NAME`, whatever the
/// scratch path), e.g. the worker fixture of the process tests; nil when it is not there.
package func siblingExecutable(named name: String) -> String? {
    var candidates: [String] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(name).path)
    }
    if let executable = Bundle.main.executableURL {
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent(name).path)
    }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
