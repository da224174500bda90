import Foundation

/// Draws a `Timeline` as SVG text: one bar per row on a time axis in seconds from the cell's
/// start, coloured by state, with the row's name on the left, its share of each state on the
/// right, a legend and a `<title>`, so it reads without colour too. It has its own light
/// background, so it reads the same in Jupyter's light and dark themes.
///
/// Each row is sampled per pixel column: a column takes the state the row spent most of that
/// column's time in, and equal neighbours merge into one rectangle, so a row costs at most
/// one rectangle per pixel however many times its thread switched.
package struct TimelineSVG: Sendable {
    package var width = 900
    package var title: String

    package init(title: String) {
        self.title = title
    }

    private let labelWidth = 190
    private let shareWidth = 170
    private let rowHeight = 20
    private let taskRowHeight = 14
    private let top = 44

    private static let colours: [(ThreadState.Category, String, String)] = [
        (.running, "#2f9e44", "running (GIL held)"),
        (.gilWait, "#f08c00", "waiting for the GIL"),
        (.sleeping, "#4c6ef5", "sleep / I/O"),
        (.waiting, "#ae3ec9", "lock / queue / event / future / join"),
        (.outsideGIL, "#0c8599", "outside the GIL / worker process"),
    ]

    /// At most this many task rows under one thread; the rest are counted in a line of text.
    package var maxTaskRows = 24

    /// The rows drawn: each thread's tasks beyond `maxTaskRows` folded into a count.
    private func shown(_ timeline: Timeline) -> (rows: [Timeline.Row], folded: [Int: Int]) {
        var rows: [Timeline.Row] = []
        var folded: [Int: Int] = [:]  // row index after which "+ N more tasks" goes
        var tasksInGroup = 0
        for row in timeline.rows {
            guard row.kind == .task else {
                tasksInGroup = 0
                rows.append(row)
                continue
            }
            tasksInGroup += 1
            if tasksInGroup <= maxTaskRows {
                rows.append(row)
            } else {
                folded[rows.count - 1, default: 0] += 1
            }
        }
        return (rows, folded)
    }

    /// The picture, a standalone SVG document.
    package func render(_ timeline: Timeline) -> String {
        let (rows, folded) = shown(timeline)
        let plotWidth = width - labelWidth - shareWidth
        let seconds = max(timeline.seconds, 1e-6)
        let rowsHeight =
            rows.reduce(0) { $0 + ($1.kind == .task ? taskRowHeight : rowHeight) } + folded.count * taskRowHeight
        let axisY = top + rowsHeight + 6
        let height = axisY + 62
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <title>\(escape(title)): \(escape(timeline.summary))</title>
            <rect width="\(width)" height="\(height)" fill="#fbfbfb" stroke="#d0d0d0"/>
            <text x="10" y="20" font-weight="bold" fill="#222">\(escape(title))</text>
            <text x="\(width - 10)" y="20" text-anchor="end" fill="#555">\(escape(timeline.summary))</text>

            """
        var y = top
        for (rowIndex, row) in rows.enumerated() {
            let h = row.kind == .task ? taskRowHeight : rowHeight
            let name = row.kind == .task ? "  ↳ " + row.name : row.name
            let tooltip = row.pid.map { "\(row.name) (pid \($0))" } ?? row.name
            svg += "<g><title>\(escape(tooltip)): \(escape(shares(row, of: seconds)))</title>\n"
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + h - 6)\" text-anchor=\"end\" fill=\"#222\""
            svg += row.kind == .task ? " font-size=\"11\">" : ">"
            svg += "\(escape(name))</text>\n"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + h / 2)\" width=\"\(plotWidth)\" height=\"1\" fill=\"#ddd\"/>\n"
            for run in pixelRuns(row, seconds: seconds, pixels: plotWidth) {
                let colour = Self.colours.first { $0.0 == run.category }?.1 ?? "#888"
                svg += "<rect x=\"\(labelWidth + run.from)\" y=\"\(y + 2)\" width=\"\(run.to - run.from)\""
                svg += " height=\"\(h - 4)\" fill=\"\(colour)\"/>\n"
            }
            svg += "<text x=\"\(width - shareWidth + 8)\" y=\"\(y + h - 6)\" fill=\"#444\" font-size=\"11\">"
            svg += "\(escape(shares(row, of: seconds)))</text></g>\n"
            y += h
            if let more = folded[rowIndex] {
                svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + taskRowHeight - 4)\" text-anchor=\"end\" fill=\"#555\""
                svg += " font-size=\"11\">+ \(more) more task\(more == 1 ? "" : "s")</text>\n"
                y += taskRowHeight
            }
        }
        svg += axis(y: axisY, seconds: seconds, plotWidth: plotWidth)
        svg += legend(y: axisY + 40)
        return svg + "</svg>\n"
    }

    /// The two or three states the row spent most time in, as shares of the cell: `run 24% · GIL 73%`.
    private func shares(_ row: Timeline.Row, of seconds: Double) -> String {
        let short: [ThreadState.Category: String] = [
            .running: "run", .gilWait: "GIL wait", .sleeping: "sleep/IO", .waiting: "wait",
            .outsideGIL: row.kind == .process ? "alive" : "no GIL",
        ]
        let parts = ThreadState.Category.allCases.map { ($0, row.seconds(inCategory: $0)) }
            .filter { $0.1 / seconds >= 0.005 }
            .sorted { $0.1 > $1.1 }
            .prefix(3)
            .map { "\(short[$0.0] ?? "") \(Int(($0.1 / seconds * 100).rounded()))%" }
        return parts.isEmpty ? "idle" : parts.joined(separator: " · ")
    }

    struct PixelRun: Equatable {
        var from: Int
        var to: Int
        var category: ThreadState.Category
    }

    /// The row per pixel column, each column the state it spent most time in (none if it
    /// was mostly idle), equal neighbours merged.
    func pixelRuns(_ row: Timeline.Row, seconds: Double, pixels: Int) -> [PixelRun] {
        let perPixel = seconds / Double(pixels)
        let categories = ThreadState.Category.allCases
        var time = [[Double]](repeating: [Double](repeating: 0, count: categories.count), count: pixels)
        for segment in row.segments {
            guard let category = segment.state.category,
                let c = categories.firstIndex(of: category)
            else { continue }
            let start = max(0, segment.start)
            let end = min(seconds, segment.end)
            guard end > start else { continue }
            let first = min(pixels - 1, Int(start / perPixel))
            let last = min(pixels - 1, Int(end / perPixel))
            for column in first...last {
                let overlap = min(end, Double(column + 1) * perPixel) - max(start, Double(column) * perPixel)
                if overlap > 0 { time[column][c] += overlap }
            }
        }
        var runs: [PixelRun] = []
        for column in 0..<pixels {
            let (best, busy) = time[column].enumerated().max { $0.element < $1.element } ?? (0, 0)
            guard busy >= perPixel / 2 || (busy > 0 && time[column].reduce(0, +) >= perPixel / 2) else { continue }
            let category = categories[best]
            if let last = runs.last, last.to == column, last.category == category {
                runs[runs.count - 1].to = column + 1
            } else {
                runs.append(PixelRun(from: column, to: column + 1, category: category))
            }
        }
        return runs
    }

    private func axis(y: Int, seconds: Double, plotWidth: Int) -> String {
        let step = Self.tickStep(seconds)
        let unit = Self.axisUnit(step: step)
        var svg = "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(plotWidth)\" height=\"1\" fill=\"#666\"/>\n"
        var tick = 0.0
        while tick <= seconds + step * 1e-9 {
            let x = labelWidth + Int((tick / seconds * Double(plotWidth)).rounded())
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"1\" height=\"5\" fill=\"#666\"/>"
            svg += "<text x=\"\(x)\" y=\"\(y + 18)\" text-anchor=\"middle\" fill=\"#444\">"
            svg += "\(Self.tickLabel(tick, unit: unit))</text>\n"
            tick += step
        }
        svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\" fill=\"#444\">\(unit.name)</text>\n"
        return svg
    }

    /// The unit that suits the ticks: seconds for steps of 0.1 s and more, milliseconds down
    /// to steps of 0.1 ms, microseconds below (a 0.4 ms cell reads `0 50 100 ... µs`, not
    /// `0.000 0.000 0.000 0.001`).
    static func axisUnit(step: Double) -> (name: String, scale: Double, places: Int) {
        let (name, scale) = step >= 0.1 ? ("seconds", 1.0) : step >= 1e-4 ? ("ms", 1e3) : ("µs", 1e6)
        let scaled = step * scale
        return (name, scale, scaled >= 0.999 ? 0 : scaled >= 0.0999 ? 1 : 2)
    }

    /// A tick's label in the axis's unit.
    static func tickLabel(_ seconds: Double, unit: (name: String, scale: Double, places: Int)) -> String {
        fixed(seconds * unit.scale, places: unit.places)
    }

    /// 1, 2 or 5 times a power of ten, giving about eight ticks.
    static func tickStep(_ seconds: Double) -> Double {
        let rough = seconds / 8
        let power = pow(10, (log10(rough)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? power * 10
    }

    private func legend(y: Int) -> String {
        var svg = ""
        var x = 10
        for (_, colour, label) in Self.colours {
            svg += "<rect x=\"\(x)\" y=\"\(y - 10)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(x + 16)\" y=\"\(y)\" fill=\"#222\" font-size=\"11\">\(escape(label))</text>\n"
            x += 26 + label.count * 6
        }
        return svg
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
