import Foundation
import Futures

/// The event loop a kernel keeps for a whole notebook: ipykernel runs one asyncio loop from
/// start to shutdown, a cell with a top-level `await` runs as a task on it, and between
/// cells it keeps serving, so a task made in one cell runs on while no cell runs and a
/// later cell can await it; asyncio objects made in one cell work in the next.
///
/// nbrun serves it on a thread of its own inside the notebook's interpreter (taking the GIL
/// for each pass, as the kernel's main thread does); a cell's `asyncio.topLevel` hands its
/// coroutine over and waits, with the GIL released, until it is done.
final class NotebookLoop: Sendable {
    let loop: asyncio.EventLoop
    private let stopped = Locked(false)

    /// - Parameter tasksBefore: the tasks the kernel made before this point, which the
    ///   loop's task names count on from (`KernelProfile.tasksAtStart`, `tasksPerCell`).
    init(in interpreter: PyInterpreter, tasksBefore: Int, report: @escaping @Sendable (String) -> Void) {
        let made = Monitor<asyncio.EventLoop?>(nil)
        let stopped = self.stopped
        ThreadCache.shared.run(name: "asyncio-loop") {
            Ambient.run(in: interpreter) {
                let loop = asyncio.EventLoop(report: report)
                loop.countTasks(tasksBefore)
                made.withLock { $0 = loop }
                loop.serve(until: { stopped.withLock { $0 } })
            }
        }
        loop = Self.waitForValue(made)
    }

    /// The kernel shuts down: the loop stops serving after its current pass.
    func stop() {
        stopped.withLock { $0 = true }
        loop.callSoon {}
    }

    /// The kernel makes its own tasks for a cell it executes, before the cell's code runs.
    func countKernelTasks(_ count: Int) {
        let loop = self.loop
        let counted = Monitor(false)
        loop.callSoon {
            loop.countTasks(count)
            counted.withLock { $0 = true }
        }
        counted.wait(timeout: nil, until: { $0 }, then: { _, _ in })
    }

    /// Runs `coroutine` as a task on the loop and waits for it (a cell's top-level `await`).
    func run<T: Sendable>(_ coroutine: @escaping asyncio.Coroutine<T>) throws -> T {
        let outcome = Monitor<Result<T, any Error>?>(nil, waitKind: .future)
        let loop = self.loop
        loop.callSoon {
            _ = asyncio.Task(loop: loop) {
                do {
                    let value = try await coroutine()
                    outcome.withLock { $0 = .success(value) }
                } catch {
                    outcome.withLock { $0 = .failure(error) }
                }
            }
        }
        return try Self.waitForValue(outcome).get()
    }

    /// Runs `body` on the loop's thread between two passes and waits for it: a cell's plain
    /// statements that touch asyncio objects (`task.done()`), which a kernel runs on the
    /// thread its loop runs on. No task is made, as none is in the kernel.
    func call<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = Monitor<Result<T, any Error>?>(nil, waitKind: .future)
        let loop = self.loop
        loop.callSoon {
            // On the loop's thread as in a step of it, so what `body` first uses binds to it.
            let result = asyncio.EventLoop.$current.withValue(loop) { Result { try body() } }
            outcome.withLock { $0 = result }
        }
        return try Self.waitForValue(outcome).get()
    }

    /// Waits (the GIL released) until another thread has set the value.
    private static func waitForValue<V: Sendable>(_ monitor: Monitor<V?>) -> V {
        while true {
            if let value = monitor.wait(timeout: nil, until: { $0 != nil }, then: { state, _ in state }) {
                return value
            }
        }
    }
}

extension asyncio {
    /// A top-level `await` in a cell of a notebook written step by step: runs `coroutine` as
    /// a task on the notebook's event loop (made at the first such cell, kept until the
    /// notebook ends) and returns its result. Tasks it creates keep running after the cell
    /// and can be awaited by later cells. What asyncio logs goes to `ctx`'s stderr.
    @discardableResult
    public static func topLevel<T: Sendable>(_ ctx: DemoContext, _ coroutine: @escaping Coroutine<T>) throws -> T {
        try ctx.interpreter.notebookLoop { ctx.write($0, to: .stderr) }.run(coroutine)
    }

    /// A cell's plain statements that touch the notebook's asyncio objects (`task.done()`,
    /// `lock.locked()` outside a coroutine): `body` runs on the notebook's event loop thread,
    /// as a kernel runs a cell's code on the thread of its loop, and its result is returned.
    /// asyncio objects check that they are used on their loop's thread (`LoopBound`).
    @discardableResult
    public static func onLoop<T: Sendable>(_ ctx: DemoContext, _ body: @escaping @Sendable () throws -> T) throws -> T {
        try ctx.interpreter.notebookLoop { ctx.write($0, to: .stderr) }.call(body)
    }
}
