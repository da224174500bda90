/// A one-line progress display on stderr, shown only when stderr is a terminal.
enum Progress {
    static func reporter() -> (@Sendable (Int, Int) -> Void)? {
        guard Terminal.stderrIsTerminal else { return nil }
        return { done, total in
            Terminal.printProgress("\r\u{1B}[Knbrun: \(done)/\(total) cells done")
        }
    }

    static func finish() {
        if Terminal.stderrIsTerminal { Terminal.printProgress("\r\u{1B}[K") }
    }
}
