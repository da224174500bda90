import Futures

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
    /// What running the port asks of the machine (see `Load`); the engine schedules by it.
    public let load: Load
    /// The CPython costs the port spends (`CPythonCost.Declaration`): the engine measures
    /// those not known yet before the run's cells start, never in the cell's time.
    public let costs: [CPythonCost.Declaration]
    /// The port itself. It prints through the context and may throw like the cell would.
    /// It runs inside the context's interpreter, holding that cell's GIL (see `PyInterpreter`).
    /// A session cell run this way gets a fresh session, as if its notebook began with it.
    public let run: @Sendable (DemoContext) throws -> Void
    /// The state the notebook's cells share, when its cells build on each other (see
    /// `NotebookSession`); nil for a self-contained cell, which runs in a kernel of its own.
    public let session: SessionKind?
    /// The port as the engine runs it: with its notebook's session (nil for self-contained
    /// cells), returning the cell's value (`.none` for none). Runs inside the context's
    /// interpreter.
    public let evaluate: @Sendable (DemoContext, (any NotebookSession)?) throws -> PyValue

    /// Registers a port of one cell.
    ///
    /// - Parameters:
    ///   - notebook: the notebook's file name without `.ipynb`.
    ///   - name: the demo's name, unique in the notebook; `nbrun.json` keys it `NOTEBOOK/NAME`.
    ///   - fingerprint: the cell source's fingerprint, as `nbrun scaffold` or `nbrun list` print it.
    ///   - sketch: per-line hashes of the source (`nbrun scaffold` fills them in).
    ///   - load: what the port asks of the machine; `.timingSensitive` unless it computes.
    ///   - costs: the CPython costs the port spends, measured before the run's cells start.
    ///   - run: the port: what the cell does, printing through the context it is given.
    public init(
        notebook: String,
        name: String,
        fingerprint: String,
        sketch: String = "",
        load: Load = .timingSensitive,
        costs: [CPythonCost.Declaration] = [],
        run: @escaping @Sendable (DemoContext) throws -> Void
    ) {
        self.notebook = notebook
        self.name = name
        self.fingerprint = fingerprint
        self.sketch = sketch
        self.load = load
        self.costs = costs
        self.session = nil
        self.run = { context in try context.interpreter.run { try run(context) } }
        self.evaluate = { context, _ in
            try context.interpreter.run { try run(context) }
            return .none
        }
    }

    /// A cell of a notebook written step by step: `cell` gets the notebook's session `S`
    /// (what earlier cells defined) and returns the value of the cell's last line, IPython's
    /// `Out[n]` (`.none` when the last line is a statement or `None`). `costs` as for a
    /// self-contained cell.
    public init<S: NotebookSession>(
        notebook: String,
        name: String,
        fingerprint: String,
        sketch: String = "",
        load: Load = .timingSensitive,
        costs: [CPythonCost.Declaration] = [],
        session: S.Type,
        cell: @escaping @Sendable (DemoContext, S) throws -> PyValue
    ) {
        self.notebook = notebook
        self.name = name
        self.fingerprint = fingerprint
        self.sketch = sketch
        self.load = load
        self.costs = costs
        self.session = SessionKind(session)
        let id = "\(notebook)/\(name)"
        let evaluate: @Sendable (DemoContext, (any NotebookSession)?) throws -> PyValue = { context, shared in
            guard let state = shared as? S else {
                throw builtins.RuntimeError("\(id) was given no session of type \(S.self)")
            }
            return try context.interpreter.run { try cell(context, state) }
        }
        self.evaluate = evaluate
        self.run = { context in _ = try evaluate(context, S()) }
    }

}

extension Demo {
    /// What a port asks of the machine while it runs, which decides what may run beside it.
    public enum Load: Sendable, Equatable {
        /// Sleeps, joins, waits, executors: what it prints depends on waking up on time. The
        /// engine runs many of these side by side while wake-ups stay punctual.
        case timingSensitive
        /// Keeps one core busy: all its computing threads take turns on the cell's GIL, as
        /// CPython's do (a contended lock, threads that burn CPU). It may run beside
        /// timing-sensitive cells, which keep the other cores, one such cell at a time.
        case oneCore
        /// Keeps every core busy and its output depends on having them (a race between its
        /// own threads, CPU burned across processes): it runs alone, one at a time.
        case allCores
    }

    /// `"NOTEBOOK/NAME"`, e.g. `"02-threads/race"`: how `nbrun.json`, reports and errors
    /// name the demo.
    public var id: String { "\(notebook)/\(name)" }

    /// Whether the port computes rather than waits (`oneCore` or `allCores`): such cells
    /// take turns on the CPU-bound lane, so a notebook of them costs their sum.
    package var isCPUBound: Bool { load != .timingSensitive }
}
