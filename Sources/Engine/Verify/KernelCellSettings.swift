import Foundation
import Notebook

/// What the kernel driver needs to run a notebook's cells as nbclient would under the
/// notebook's rules: each cell's timeout, and which cells are interrupted on timeout
/// (nbclient's `interrupt_on_timeout`) instead of stopping the notebook.
struct KernelCellSettings: Sendable {
    var timeouts: [Int: Double] = [:]
    var interrupt: Set<Int> = []
    /// For cells without a `timeout` rule: `check`'s guard against a hang (20 times the
    /// recorded duration, at least a minute; ten minutes when none is recorded).
    var defaultTimeout: Double = 600
    var kernel = "python3"
    var folder = "."
    /// Where the kernel profile says Python's library is (`/usr/lib/python3.11/`): the
    /// driver writes the real kernel's own library folder so in its outputs, as the
    /// references were written, so tracebacks compare whatever Python runs them.
    var libraryPrefix: String?

    init(timeouts: [Int: Double], interrupt: Set<Int>, defaultTimeout: Double, folder: String) {
        self.timeouts = timeouts
        self.interrupt = interrupt
        self.defaultTimeout = defaultTimeout
        self.folder = folder
    }

    init(plan: RunPlan, rules: RuleBook) throws(RuleError) {
        timeouts = try rules.timeouts(for: plan)
        interrupt = try rules.interrupts(for: plan)
        libraryPrefix = rules.kernel?.prefix
        let longest = plan.notebook.cells.compactMap { CellTiming.recordedSeconds(in: $0.metadata) }.max()
        defaultTimeout = longest.map { max(60, 20 * $0) } ?? 600
        if case .object(let spec)? = plan.notebook.metadata["kernelspec"], let name = spec["name"]?.stringValue {
            kernel = name
        }
        folder = URL(fileURLWithPath: plan.path).standardizedFileURL.deletingLastPathComponent().path
    }

    var json: [UInt8] {
        let members: [(key: String, value: JSONValue)] = [
            (
                "timeouts",
                .object(JSONObject(timeouts.sorted { $0.key < $1.key }.map { ("\($0.key)", .real($0.value)) }))
            ),
            ("interrupt", .array(interrupt.sorted().map { .int(Int64($0)) })),
            ("default_timeout", .real(defaultTimeout)),
            ("kernel", .string(kernel)),
            ("cwd", .string(folder)),
            ("library_prefix", libraryPrefix.map(JSONValue.string) ?? .null),
        ]
        return JSONWriter.bytes(.object(JSONObject(members)))
    }
}
