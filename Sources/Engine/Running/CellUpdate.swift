import Notebook
import PythonRuntime

/// Writes a cell's run into the cell the way nbclient does: outputs replaced, the execution
/// count set, timing stamps under `metadata.execution`, the rest of the metadata kept.
enum CellUpdate {
    static func apply(_ outcome: CellOutcome, demo: Demo, executionCount: Int, label: CellLabel, to cell: inout Cell) {
        var outputs = outcome.streams.map { Output.stream(name: $0.name.rawValue, text: $0.text) }
        if let failure = outcome.failure {
            outputs.append(errorOutput(failure, demo: demo, label: label))
        }
        cell.outputs = outputs
        cell.executionCount = .int(Int64(executionCount))
        cell.metadata["execution"] = .object(JSONObject(outcome.timing.metadata.map { ($0.key, .string($0.value)) }))
    }

    /// A Jupyter `error` output. The traceback names the Swift port that raised, since
    /// there is no Python frame to show.
    static func errorOutput(_ failure: CellOutcome.Failure, demo: Demo, label: CellLabel) -> Output {
        let (ename, evalue): (String, String)
        switch failure {
        case let .raised(name, value): (ename, evalue) = (name, value)
        case .timedOut(let seconds):
            (ename, evalue) = ("TimeoutError", "Cell execution timed out after \(PythonFloat.repr(seconds)) seconds")
        case .gilHeld(let stall):
            (ename, evalue) = ("RuntimeError", "nbrun stopped the cell: \(stall)")
        }
        let rule = String(repeating: "-", count: 75)
        return .error(
            ename: ename, evalue: evalue,
            traceback: [
                "\u{1B}[0;31m\(rule)\u{1B}[0m",
                "\u{1B}[0;31m\(ename)\u{1B}[0m                                Traceback (most recent call last)",
                "In \(label), run by the Swift port \(demo.id)",
                "\u{1B}[0;31m\(ename)\u{1B}[0m: \(evalue)",
            ])
    }
}
