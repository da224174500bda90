import Foundation
import Notebook
import PythonRepr
import PythonRuntime

/// Writes a cell's run into the cell the way nbclient does: outputs replaced, the execution
/// count set, timing stamps under `metadata.execution`, the rest of the metadata kept.
enum CellUpdate {
    static func apply(_ outcome: CellOutcome, demo: Demo, executionCount: Int, label: CellLabel, to cell: inout Cell) {
        var outputs = outcome.outputs.map { output($0, executionCount: executionCount) }
        if let failure = outcome.failure {
            outputs.append(
                errorOutput(
                    failure, executionCount: executionCount, source: cell.source, line: outcome.errorLine,
                    frames: outcome.libraryFrames)
            )
        }
        cell.outputs = outputs
        cell.executionCount = .int(Int64(executionCount))
        cell.metadata["execution"] = .object(JSONObject(outcome.timing.metadata.map { ($0.key, .string($0.value)) }))
    }

    /// A stream, a `display_data` or the cell's `execute_result` (`Out[n]`, its `text/plain`
    /// as IPython's pretty printer writes the value), as ipykernel sends them and nbformat
    /// writes them.
    static func output(_ captured: CapturedOutput, executionCount: Int) -> Output {
        switch captured {
        case let .stream(name, text):
            return .stream(name: name.rawValue, text: text)
        case .display(let data):
            let bundle = JSONObject(data.bundle.map { ($0.mime, .string($0.data)) })
            return Output(
                outputType: .displayData,
                fields: JSONObject([("data", .object(bundle)), ("metadata", .object(JSONObject()))]))
        case .value(let value):
            return Output(
                outputType: .executeResult,
                fields: JSONObject([
                    ("data", .object(JSONObject([("text/plain", .string(value.pretty))]))),
                    ("execution_count", .int(Int64(executionCount))), ("metadata", .object(JSONObject())),
                ]))
        }
    }

    /// A Jupyter `error` output with the traceback in IPython's form (its colours, the
    /// header, the cell's frame as `Cell In[N], line L` with up to four lines before and
    /// three after, the final `ename: evalue`). A port has no Python frames: the frame is the
    /// cell's own, pointing at its last line, where a cell's final statement raises; the
    /// library frames CPython would add below it are not there.
    /// `frames` are the library frames below the cell's (an interrupted wait's: `InterruptTraceback`).
    static func errorOutput(
        _ failure: CellOutcome.Failure, executionCount: Int, source: String, line: Int? = nil,
        frames: [LibraryFrame] = []
    ) -> Output {
        let (ename, evalue): (String, String)
        switch failure {
        case let .raised(name, value): (ename, evalue) = (name, value)
        case .timedOut(let seconds):
            (ename, evalue) = ("TimeoutError", "Cell execution timed out after \(PythonFloat.repr(seconds)) seconds")
        case .gilHeld(let stall):
            (ename, evalue) = ("RuntimeError", "nbrun stopped the cell: \(stall)")
        }
        let header = "Traceback (most recent call last)"
        var traceback = [
            red(String(repeating: "-", count: 75)),
            red(ename) + String(repeating: " ", count: max(0, 75 - ename.count - header.count)) + header,
        ]
        if let frame = cellFrame(executionCount: executionCount, source: source, line: line) {
            traceback.append(frame)
        }
        traceback += frames.map(libraryFrame)
        traceback.append(red(ename) + ": " + evalue)
        return .error(ename: ename, evalue: evalue, traceback: traceback)
    }

    /// `Cell In[N], line L` and the lines around L (IPython's numbers, 7 wide, and its arrow).
    /// `line`: the line that raised, when the port says (else the last non-blank one).
    private static func cellFrame(executionCount: Int, source: String, line: Int? = nil) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard let last = lines.lastIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return nil
        }
        let current = line.flatMap { (1...lines.count).contains($0) ? $0 : nil } ?? last + 1
        var frame =
            cyan("Cell") + cyan(" ") + green("In[\(executionCount)]") + green(", line \(current)") + "\n"
        for number in max(1, current - 4)...min(lines.count, current + 3) {
            frame += numbered(number, current: current, text: lines[number - 1])
        }
        return frame
    }

    /// `File PATH:LINE, in FUNCTION(ARGS)` and its source lines, as IPython writes a
    /// library frame.
    private static func libraryFrame(_ frame: LibraryFrame) -> String {
        var text =
            cyan("File ") + green("\(frame.file):\(frame.line)") + ", in " + cyan(frame.function)
            + blue(frame.arguments)
            + "\n"
        for (number, line) in frame.context {
            text += numbered(number, current: frame.line, text: line)
        }
        return text
    }

    /// One source line: its number 7 wide (an arrow `--->` before the current one).
    private static func numbered(_ number: Int, current: Int, text: String) -> String {
        let digits = String(number)
        let pad = max(0, 7 - digits.count)
        let prefix =
            number == current
            ? green(String(repeating: "-", count: max(0, pad - 2)) + "> ") + green(digits)
            : green(String(repeating: " ", count: pad) + digits)
        return prefix + " " + text + "\n"
    }

    private static func red(_ text: String) -> String { "\u{1B}[31m\(text)\u{1B}[39m" }
    private static func green(_ text: String) -> String { "\u{1B}[32m\(text)\u{1B}[39m" }
    private static func cyan(_ text: String) -> String { "\u{1B}[36m\(text)\u{1B}[39m" }
    private static func blue(_ text: String) -> String { "\u{1B}[34m\(text)\u{1B}[39m" }
}
