import PythonRuntime

/// nbrun's own course: every registered demo, for every notebook in `notebooks/`. A
/// notebook's folder lists its own demos (`Threads02.demos` for `02-threads.ipynb`);
/// adding a notebook adds a line here.
public enum Catalog {
    /// The course nbrun's command line is given: the demos and the functions its worker processes run.
    public static let course = Course(demos: demos, remoteFunctions: remoteFunctions, services: services)

    /// Every demo, notebook by notebook.
    public static let demos: [Demo] =
        Threads02.demos
        + Processes03.demos
        + Asyncio04.demos
        + Coordination05.demos
        + Faults06.demos
        + IO07.demos

    /// Every function a port runs in a worker process.
    public static let remoteFunctions: [any RemoteFunctionProtocol] =
        Processes03.remoteFunctions

    /// The servers the notebooks talk to, started by nbrun for the notebooks that need them.
    public static let services: [Service] = IO07.services
}
