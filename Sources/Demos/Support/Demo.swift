/// A Swift port of one Jupyter code cell, registered against that cell's source.
///
/// The engine runs a demo only for a `no-run` cell whose source fingerprint equals
/// `fingerprint`; a cell whose Python changed no longer matches and is refused, so a
/// stale port is never run. `sketch` holds one short hash per source line: it lets the
/// engine name the nearest demo when a cell has drifted, without keeping the Python here.
public struct Demo: Sendable {
    /// The notebook's file name without `.ipynb`, e.g. `02-threads`.
    public let notebook: String
    /// A short, unique, human name for the cell, e.g. `raw-thread`.
    public let name: String
    /// The cell source's fingerprint (see `nbrun list NOTEBOOK` or `nbrun scaffold`).
    public let fingerprint: String
    /// Per-line hashes of the cell source, used only to suggest the nearest demo.
    public let sketch: String
    /// The port keeps the cores busy and its output depends on having them (a race between
    /// its own threads, a contended lock, CPU burned across processes): the engine runs such
    /// demos one at a time, never against the timing-sensitive ones.
    public let cpuBound: Bool
    /// A CPU-bound port whose threads all compute under its cell's GIL, taking turns as
    /// CPython's do (the lock cell, the thread `burn` cell): it keeps one core busy, not all,
    /// so the engine may run it beside timing-sensitive cells, which keep the other core.
    public let usesOneCore: Bool
    /// The port itself. It prints through the context and may throw like the cell would.
    /// It runs inside the context's interpreter, holding that cell's GIL (see `PyInterpreter`).
    public let run: @Sendable (DemoContext) throws -> Void

    public init(
        notebook: String,
        name: String,
        fingerprint: String,
        sketch: String = "",
        cpuBound: Bool = false,
        usesOneCore: Bool = false,
        run: @escaping @Sendable (DemoContext) throws -> Void
    ) {
        self.notebook = notebook
        self.name = name
        self.fingerprint = fingerprint
        self.sketch = sketch
        self.cpuBound = cpuBound || usesOneCore
        self.usesOneCore = usesOneCore
        self.run = { context in try context.interpreter.run { try run(context) } }
    }
}
