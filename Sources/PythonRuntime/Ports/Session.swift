import Futures

/// The state a notebook's cells share, as a kernel's namespace holds it: what one cell
/// makes (`accounts = {...}`, `lock_a = threading.Lock()`, `tasks = queue.Queue()`, the
/// threads it starts) the next cells use.
///
/// A notebook written step by step declares one `final class` conforming to this, and
/// registers each of its cells with `Demo(..., session: TheSession.self) { ctx, s in ... }`.
/// The engine makes a fresh one for each run of the notebook and runs its cells as a kernel
/// does: in document order, each after the previous one has finished, in one interpreter
/// (one GIL, one `DemoContext`), so threads started in one cell run on into the next.
///
/// Its properties are touched by the cells and their threads while they hold the notebook's
/// GIL, as Python code touches its globals; that is what makes such a class `Sendable`
/// (`@unchecked`, saying so in a comment).
public protocol NotebookSession: AnyObject, Sendable {
    /// A fresh session, before the notebook's first cell: nothing defined yet.
    init()
}

/// A session type as the engine sees it: what to make fresh for each run of a notebook.
public struct SessionKind: Sendable {
    /// The session type's name, for messages.
    public let name: String
    /// Makes a fresh session.
    public let make: @Sendable () -> any NotebookSession

    init<S: NotebookSession>(_ type: S.Type) {
        name = String(describing: type)
        make = { S() }
    }
}
