import Futures
import Processes

/// Everything a course hands to nbrun: the ports of its notebooks' `no-run` cells and the
/// functions those ports run in worker processes (process pools, `Process`).
///
/// A course's executable passes one to `NBRun.main(course:)`; nbrun's own course is
/// `Catalog.course` in the `Demos` module.
public struct Course: Sendable {
    /// Every port, of every notebook of the course.
    public let demos: [Demo]
    /// Every function a port sends to a worker process. The course's executable is also its
    /// worker: it registers these before it serves a process pool.
    public let remoteFunctions: [any RemoteFunctionProtocol]
    /// The servers its notebooks talk to, started for the runs of the notebooks that need them.
    public let services: [Service]

    /// A course of `demos` whose ports send `remoteFunctions` to worker processes and talk to
    /// `services`.
    public init(demos: [Demo], remoteFunctions: [any RemoteFunctionProtocol] = [], services: [Service] = []) {
        self.demos = demos
        self.remoteFunctions = remoteFunctions
        self.services = services
    }
}
