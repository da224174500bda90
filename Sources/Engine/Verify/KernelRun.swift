import Foundation
import Notebook
import PythonRuntime
import Synchronization

/// One notebook executed once in a real Jupyter kernel by `KernelDriverScript`, its cells
/// admitted one by one through `KernelAdmission`.
struct KernelRun: Sendable {
    enum Outcome: Sendable {
        /// The executed notebook; `stopped` names why nbclient stopped early ("" when it ran
        /// to the end: `CellExecutionError`, `timeout`, `DeadKernelError`).
        case executed(Notebook, stopped: String)
        /// nbclient, ipykernel or nbformat cannot be imported by the Python given.
        case missingPackages([String])
        /// The driver could not run: one line saying why.
        case failed(String)
    }

    let python: String
    let driver: String
    let plan: RunPlan
    let settings: KernelCellSettings
    let workFolder: String

    /// Runs the notebook; blocks until the driver has ended.
    func run(admission: KernelAdmission, index: Int) -> Outcome {
        Self.blockBrokenPipeSignal()
        let output = "\(workFolder)/run-\(index).ipynb"
        let settingsPath = "\(workFolder)/run-\(index).json"
        do {
            try AtomicFile.write(settings.json, to: settingsPath)
            try AtomicFile.write(plan.notebook.canonicalBytes(), to: "\(workFolder)/in-\(index).ipynb")
        } catch {
            return .failed("cannot write to \(workFolder): \(error)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, driver, "\(workFolder)/in-\(index).ipynb", output, settingsPath]
        let commands = Pipe(), replies = Pipe(), errors = Pipe()
        process.standardInput = commands
        process.standardOutput = replies
        process.standardError = errors
        // Starting Python and the kernel keeps a core busy: admitted as a one-core cell.
        admission.start(.oneCore)
        do {
            try process.run()
        } catch {
            admission.finish(.oneCore)
            return .failed("cannot start \(python): \(error.localizedDescription)")
        }
        KernelProcesses.started(process.processIdentifier)
        defer { KernelProcesses.ended(process.processIdentifier) }
        let stderrText = Mutex("")
        let drained = DispatchSemaphore(value: 0)
        Thread {
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            stderrText.withLock { $0 = String(decoding: data, as: UTF8.self) }
            drained.signal()
        }.start()
        let stopped = serve(replies: replies.fileHandleForReading, commands: commands.fileHandleForWriting, admission)
        try? commands.fileHandleForWriting.close()
        process.waitUntilExit()
        // A kernel child that outlived the driver may hold stderr open: do not wait for it.
        _ = drained.wait(timeout: .now() + 5)
        let diagnostics = stderrText.withLock { $0 }
        if process.terminationStatus == 3,
            let line = diagnostics.split(separator: "\n").last(where: { $0.hasPrefix("missing: ") })
        {
            return .missingPackages(line.dropFirst("missing: ".count).split(separator: " ").map(String.init))
        }
        guard let stopped, process.terminationStatus == 0 else {
            let last = diagnostics.split(separator: "\n").last.map(String.init) ?? "no message"
            return .failed("the kernel driver (\(python)) exited with status \(process.terminationStatus): \(last)")
        }
        do {
            return .executed(try NotebookFile.read(output), stopped: stopped)
        } catch {
            return .failed("cannot read the executed notebook: \(error)")
        }
    }

    /// Answers the driver until its replies end, holding the admission of what it runs (its
    /// start-up, admitted by the caller, then one cell at a time). Returns what `end` said
    /// (nil when the driver ended without it).
    private func serve(replies: FileHandle, commands: FileHandle, _ admission: KernelAdmission) -> String? {
        let loads = Dictionary(plan.steps.map { ($0.cellIndex, $0.demo.load) }, uniquingKeysWith: { a, _ in a })
        var holding: Demo.Load? = .oneCore
        func release() {
            if let load = holding { admission.finish(load) }
            holding = nil
        }
        defer { release() }
        var stopped: String?
        for line in LineReader(replies) {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            switch words.first {
            case "ready", "done":
                release()
            case "ask":
                release()
                let load = words.count > 1 ? Int(words[1]).flatMap { loads[$0] } : nil
                admission.start(load ?? .timingSensitive)
                holding = load ?? .timingSensitive
                // A driver that died meanwhile: EPIPE (SIGPIPE is blocked on this thread),
                // and the end of its replies follows.
                try? commands.write(contentsOf: Data("go\n".utf8))
            case "end":
                release()
                stopped = words.count > 1 ? words[1] : ""
            default:
                break
            }
        }
        return stopped
    }
}

extension KernelRun {
    /// Writing to a driver that has died must fail with EPIPE, not kill nbrun with SIGPIPE:
    /// the signal goes to the writing thread, so it is blocked on the threads that write.
    static func blockBrokenPipeSignal() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}

/// Lines read from a pipe until it closes.
struct LineReader: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer = Data()
    private var closed = false

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[buffer.index(after: newline)...])
                return line
            }
            if closed { return nil }
            let chunk = handle.availableData
            if chunk.isEmpty {
                closed = true
                if buffer.isEmpty { return nil }
                buffer.append(UInt8(ascii: "\n"))
            } else {
                buffer.append(chunk)
            }
        }
    }
}

/// The kernel drivers running now and their scratch folders, so a stop signal can end
/// them (each then shuts its kernel down) and remove the folders before nbrun exits.
package enum KernelProcesses {
    private static let running = Mutex(Set<Int32>())
    private static let folders = Mutex(Set<String>())

    static func started(_ pid: Int32) { running.withLock { _ = $0.insert(pid) } }
    static func ended(_ pid: Int32) { running.withLock { _ = $0.remove(pid) } }
    static func scratch(_ folder: String) { folders.withLock { _ = $0.insert(folder) } }
    static func removed(_ folder: String) { folders.withLock { _ = $0.remove(folder) } }

    /// Sends SIGTERM to every running driver and removes the scratch folders.
    package static func terminateAll() {
        for pid in running.withLock({ $0 }) { kill(pid, SIGTERM) }
        for folder in folders.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: folder) }
    }
}
