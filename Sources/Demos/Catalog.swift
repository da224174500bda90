import Futures

/// Every registered demo, for every course notebook. A notebook's file lists its own
/// demos (`Threads02.demos` for `02-threads.ipynb`); adding a notebook adds a line here.
public enum Catalog {
    public static let demos: [Demo] =
        Threads02.demos
        + Processes03.demos
        + Asyncio04.demos

    /// Every function a port runs in a worker process. A program that runs the ports
    /// registers these before `ProcessWorker.runIfRequested()` (nbrun's `main` does).
    public static let remoteFunctions: [any RemoteFunctionProtocol] =
        Processes03.remoteFunctions
}
