import Foundation

/// The one line `run` and `check` end with on stderr (unless `-q`), terminal or not:
/// `nbrun: 2 notebooks, 16 cells in 3.1 s; 1 notebook rewritten, 3 cells changed`.
struct Summary {
    private let start = DispatchTime.now()
    var notebooks = 0
    var cells = 0
    var rewritten = 0
    var changedCells = 0
    var differingCells = 0

    private var elapsed: String {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return String(format: "%.1f s", seconds)
    }

    private var head: String {
        "nbrun: \(Self.count(notebooks, "notebook")), \(Self.count(cells, "cell")) in \(elapsed)"
    }

    var runLine: String {
        "\(head); \(Self.count(rewritten, "notebook")) rewritten, \(Self.count(changedCells, "cell")) changed"
    }

    var checkLine: String {
        "\(head); \(Self.count(differingCells, "cell")) differ\(differingCells == 1 ? "s" : "")"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
