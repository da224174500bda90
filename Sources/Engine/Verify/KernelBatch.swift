import Foundation
import Notebook
import Synchronization

/// Every notebook executed `runs` times in real Jupyter kernels, side by side as
/// `KernelAdmission` allows.
package enum KernelBatch {
    /// What a batch gives back for one notebook: its CPython runs, in order, and the
    /// problems of runs that could not be made.
    package struct NotebookRuns: Sendable {
        package var executed: [Notebook] = []
        /// Why nbclient stopped a run early, when it did (one entry per such run).
        package var stopped: [String] = []
        package var failures: [String] = []
    }

    package enum Failure: Error, CustomStringConvertible {
        /// The Python given lacks packages: nothing can run.
        case missingPackages(python: String, [String])
        /// The Python given cannot be started.
        case noPython(String, String)

        package var description: String {
            switch self {
            case let .missingPackages(python, names):
                "\(python) cannot import \(names.joined(separator: ", ")): "
                    + "pip install \(names.joined(separator: " ")) (or pass --python with a Python that has them)"
            case let .noPython(python, why): "cannot run \(python): \(why)"
            }
        }
    }

    /// Kernels running at once, at most: the rest wait for one to end (memory, not cores,
    /// is what an idle kernel holds; `KernelAdmission` paces the cells).
    static func maxKernels(cores: Int) -> Int { max(2, 3 * cores) }

    static let packages = ["nbformat", "nbclient", "ipykernel"]

    /// Fails at once, with one line, when `python` cannot run or lacks a package: every
    /// run would fail the same way.
    package static func checkPython(_ python: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let probe = packages.map { "\"\($0)\"" }.joined(separator: ", ")
        process.arguments = [
            python, "-c",
            "import importlib.util as u; print(' '.join(n for n in (\(probe)) if u.find_spec(n) is None))",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure.noPython(python, error.localizedDescription)
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let why =
                process.terminationStatus == 127
                ? "no such program" : "it exited with status \(process.terminationStatus) (is it a Python 3?)"
            throw Failure.noPython(python, why)
        }
        let missing = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
        if !missing.isEmpty { throw Failure.missingPackages(python: python, missing) }
    }

    /// Runs each plan `runs` times under its rules (`rules[i]` goes with `plans[i]`).
    package static func run(
        _ plans: [RunPlan], rules: [RuleBook], python: String, runs: Int
    ) throws -> [NotebookRuns] {
        try checkPython(python)
        let work = try ScratchFolder.make()
        KernelProcesses.scratch(work)
        defer {
            try? FileManager.default.removeItem(atPath: work)
            KernelProcesses.removed(work)
        }
        let driver = "\(work)/\(KernelDriverScript.fileName)"
        try AtomicFile.write(Array(KernelDriverScript.source.utf8), to: driver)
        var jobs: [(plan: Int, run: Int, job: KernelRun)] = []
        for run in 0..<runs {
            for (index, plan) in plans.enumerated() {
                let settings = try KernelCellSettings(plan: plan, rules: rules[index])
                jobs.append(
                    (
                        index, run,
                        KernelRun(python: python, driver: driver, plan: plan, settings: settings, workFolder: work)
                    ))
            }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let admission = KernelAdmission(cores: cores)
        let slots = DispatchSemaphore(value: maxKernels(cores: cores))
        let outcomes = Mutex([KernelRun.Outcome?](repeating: nil, count: jobs.count))
        let group = DispatchGroup()
        for (position, entry) in jobs.enumerated() {
            slots.wait()
            group.enter()
            let thread = Thread {
                let outcome = entry.job.run(admission: admission, index: position)
                outcomes.withLock { $0[position] = outcome }
                slots.signal()
                group.leave()
            }
            thread.name = "nbrun.kernel-\(position)"
            thread.start()
        }
        group.wait()
        var results = [NotebookRuns](repeating: NotebookRuns(), count: plans.count)
        for (entry, outcome) in zip(jobs, outcomes.withLock { $0 }) {
            switch outcome {
            case let .executed(notebook, stopped)?:
                results[entry.plan].executed.append(notebook)
                if !stopped.isEmpty { results[entry.plan].stopped.append(stopped) }
            case .missingPackages(let names)?:
                results[entry.plan].failures.append("missing \(names.joined(separator: ", "))")
            case .failed(let message)?:
                results[entry.plan].failures.append(message)
            case nil:
                results[entry.plan].failures.append("run \(entry.run + 1) did not end")
            }
        }
        return results
    }
}
