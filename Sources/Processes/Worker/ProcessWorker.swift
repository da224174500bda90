import CProcess
import Foundation
import Futures
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// The worker side of process pools and `multiprocessing.Process`.
///
/// A worker is the host executable started again with worker arguments: forked by its fork
/// server (`ForkServer`, itself this executable in `forkserver` mode), else spawned. The program
/// registers its remote functions and then calls `runIfRequested()` first thing in `main`;
/// in a worker that call serves requests and exits, in the normal program it returns at once.
package enum ProcessWorker {
    static let flag = "--futures-worker"
    /// The request socket every worker finds at this fd.
    static let requestDescriptor: Int32 = 3

    private static let executable = Locked("/proc/self/exe")

    /// The program pools and processes start when none is given: `/proc/self/exe` (this very
    /// program) unless changed. Test runners set it to a binary that registers the same functions.
    package static var defaultExecutable: String {
        get { executable.withLock { $0 } }
        set { executable.withLock { $0 = newValue } }
    }

    private static let stdoutToStderr = Locked(false)

    /// When `true`, children write their standard output to this program's standard error
    /// (default `false`: they share its stdout, as Python's do). For a host whose stdout is data,
    /// e.g. a notebook written to `-o -`, so a worker's print can't corrupt it.
    package static var standardOutputToStandardError: Bool {
        get { stdoutToStderr.withLock { $0 } }
        set { stdoutToStderr.withLock { $0 = newValue } }
    }

    /// Makes `functions` callable in this program's workers. Call before `runIfRequested()`.
    package static func register(_ functions: any RemoteFunctionProtocol...) {
        register(functions)
    }

    package static func register(_ functions: [any RemoteFunctionProtocol]) {
        for function in functions { RemoteFunctionRegistry.register(function.erased) }
    }

    /// In a worker process, serves its parent and exits (never returns); otherwise returns at once.
    package static func runIfRequested(arguments: [String] = CommandLine.arguments) {
        guard arguments.count >= 4, arguments[1] == flag, let parent = pid_t(arguments[3]) else { return }
        // Die with the parent; if it died before prctl took effect we have been re-parented already.
        // A worker that can't be tied to its parent's life would outlive it: it refuses to serve.
        do {
            try Syscall.check("prctl") { cprocess_set_parent_death_signal(SIGKILL) }
        } catch {
            fail("\(error)")
        }
        guard getppid() == parent else { exit(1) }
        if arguments[2] == forkServerMode { serveForks() }
        serve(arguments)
    }

    /// Serves as the worker `arguments` ask for (the parent's death already tied to ours).
    private static func serve(_ arguments: [String]) -> Never {
        do {
            // Our socket stays ours: children this worker starts itself must not inherit it.
            try Syscall.setCloseOnExec(requestDescriptor)
        } catch {
            fail("\(error)")
        }
        let name = arguments.count > 4 ? arguments[4] : nil
        if let name { multiprocessing.setProcessName(name) }  // `current_process().name` in the worker
        switch arguments[2] {
        case "pool": servePool()
        case "process": exit(runProcessTarget(name: name ?? "Process"))
        default: exit(2)
        }
    }

    static let forkServerMode = "forkserver"

    /// Runs the fork server on the request socket (`ForkServer`); returns in each forked child
    /// only, which then serves as the worker its request names.
    private static func serveForks() -> Never {
        var text = [CChar](repeating: 0, count: Int(CPROCESS_FORK_TEXT))
        var length: Int32 = 0
        let status = cprocess_fork_server(requestDescriptor, &text, Int32(text.count), &length)
        guard status == 0 else { fail("fork server: \(Errno(rawValue: status))") }
        // The text: the folder (the child is in it already), then the worker's arguments.
        let fields = text[..<Int(length)].split(separator: 0, omittingEmptySubsequences: false)
        let arguments = fields.dropFirst().dropLast().map {
            String(decoding: $0.map(UInt8.init(bitPattern:)), as: UTF8.self)
        }
        serve([CommandLine.arguments.first ?? ""] + arguments)
    }

    private static let forkServer = Locked(ProcessInfo.processInfo.environment["NBRUN_FORK_SERVER"] != "0")

    /// Whether children are forked by a fork server (`ForkServer`, the default) rather than
    /// spawned (`posix_spawn`) each time. `NBRUN_FORK_SERVER=0` in the environment turns it off.
    package static var usesForkServer: Bool {
        get { forkServer.withLock { $0 } }
        set { forkServer.withLock { $0 = newValue } }
    }

    /// Starts the fork server of `executable` in the background now (when `usesForkServer`),
    /// so the first child starts as fast as the rest: for a program about to run code that
    /// starts processes. Without it the server starts with the first child.
    package static func prepareForkServer(executable: String = defaultExecutable) {
        ForkServer.prepare(executable)
    }

    /// User and system CPU seconds of this program's children that have exited and been
    /// reaped: `getrusage(RUSAGE_CHILDREN)` plus the fork server's children, whose CPU time the
    /// server relays from the kernel (they are its children, not ours).
    package static var reapedChildrenCPUSeconds: Double {
        Syscall.reapedChildrenCPUSeconds() + ForkServer.reapedChildrenCPU.withLock { $0 }
    }

    static func workerArguments(mode: String, extra: [String] = []) -> [String] {
        [flag, mode, String(getpid())] + extra
    }

    /// Answers calls one at a time until the parent closes the socket (or dies).
    private static func servePool() -> Never {
        while true {
            let body: [UInt8]
            do {
                guard let next = try Framing.receive(on: requestDescriptor) else { exit(0) }
                body = next
            } catch {
                fail("reading a request: \(error)")
            }
            guard let request = CallRequest(decoding: body) else { fail("a request that does not decode") }
            let reply = CallReply(id: request.id, outcome: call(request, descriptors: nil))
            do {
                try Framing.send(reply.encoded(), on: requestDescriptor)
            } catch  where [.brokenPipe, .connectionReset].contains(error.errno) {
                exit(0)  // the parent is gone (or gave up on us): nobody to answer
            } catch {
                fail("sending a reply: \(error)")
            }
        }
    }

    /// A worker that can't go on says why on stderr (shared with its parent) and exits 3.
    private static func fail(_ message: String) -> Never {
        Syscall.writeToStandardError("nbrun worker \(getpid()): \(message)\n")
        exit(3)
    }

    /// Runs a `Process` target once; the exit code is 0, or 1 after printing the exception.
    private static func runProcessTarget(name: String) -> Int32 {
        let body: [UInt8]?
        do { body = try Framing.receive(on: requestDescriptor) } catch { fail("reading its target: \(error)") }
        guard let body, let request = CallRequest(decoding: body) else { return 3 }
        Syscall.closeIgnoringErrors(requestDescriptor)
        switch call(request, descriptors: SharedDescriptors()) {
        case .value: return 0
        case .raised(let ename, let evalue, _):
            // What Python's multiprocessing prints to stderr for an uncaught exception in a child.
            let message = "Process \(name):\nTraceback (most recent call last):\n\(ename): \(evalue)\n"
            Syscall.writeToStandardError(message)
            return 1
        }
    }

    static func call(_ request: CallRequest, descriptors: SharedDescriptors?) -> CallReply.Outcome {
        guard let function = RemoteFunctionRegistry.lookUp(request.function) else {
            return .raised(builtins.AttributeError("Can't get attribute '\(request.function)' on <module '__main__'>"))
        }
        do {
            return .value(try function.invoke(request.payload, descriptors))
        } catch {
            return .raised(error)
        }
    }
}
