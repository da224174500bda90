import Foundation

/// The threads of this process right now, from /proc/self/status (-1 if unreadable).
package func osThreadCount() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? ""
    return Int(line.split(separator: "\t").last.map(String.init) ?? "") ?? -1
}
