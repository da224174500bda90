import Foundation
import Futures

/// A function a cell defines, as tracebacks name it: its name and the file ipykernel
/// compiled its cell as (`/tmp/ipykernel_PID/HASH.py`). Made with `DemoContext.def` while
/// the defining cell runs.
public struct CellFunction: Sendable {
    /// The function's `__name__`.
    public let name: String
    /// Its cell's file, as `co_filename` says it.
    public let file: String

    /// Runs the part of the function's body at `line` (of its cell): an error it throws is
    /// the error raised there, and tracebacks show the frame `File ..., line L, in NAME`.
    public func at<R>(line: Int, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch var raised as RaisedInCell {
            raised.frames.insert(TracebackFrame(file: file, line: line, function: name), at: 0)
            throw raised
        } catch {
            throw RaisedInCell(error: error, frames: [TracebackFrame(file: file, line: line, function: name)])
        }
    }
}

/// One frame of a Python traceback: `File "FILE", line LINE, in FUNCTION`.
public struct TracebackFrame: Sendable, Equatable {
    /// The frame's `co_filename`.
    public let file: String
    /// The line, from 1.
    public let line: Int
    /// The function's name, `<module>` for a cell's own code.
    public let function: String
    /// The source line traceback prints under the frame, when Python can read the file.
    public var source: String?

    /// The frame `File "FILE", line LINE, in FUNCTION`, with `source` printed under it.
    public init(file: String, line: Int, function: String, source: String? = nil) {
        self.file = file
        self.line = line
        self.function = function
        self.source = source
    }

    /// The frame as `traceback.print_exception` writes it.
    var printed: String {
        var text = "  File \"\(file)\", line \(line), in \(function)\n"
        if let source { text += "    \(source)\n" }
        return text
    }
}

/// An error raised in a cell's code where the port says it was (`CellFunction.at`): it is
/// the Python exception `error` stands for, with the frames it passed through, innermost last.
public struct RaisedInCell: Error, PythonNamedError, Sendable {
    /// The exception raised (its Python name and message).
    public let error: any Error
    /// The frames it was raised through, outermost first.
    public var frames: [TracebackFrame]

    init(error: any Error, frames: [TracebackFrame]) {
        self.error = error
        self.frames = frames
    }

    /// `type(exc).__name__` of the exception raised.
    public var pythonName: String { pythonExceptionName(of: error) }
    /// `str(exc)` of the exception raised.
    public var pythonMessage: String { pythonExceptionMessage(of: error) }
}

extension DemoContext {
    /// `def NAME(...)` in the running cell: the function as tracebacks will name it.
    public func def(_ name: String) -> CellFunction {
        CellFunction(name: name, file: interpreter.currentCellFile)
    }

    /// Runs the cell's own statement at `line`: an error it throws is raised there, and
    /// the cell's traceback (`Cell In[N], line L`) points at that line instead of the last.
    public func line<R>(_ line: Int, _ body: () throws -> R) throws -> R {
        try CellFunction(name: "<module>", file: interpreter.currentCellFile).at(line: line, body)
    }
}

extension PyInterpreter {
    /// The cell about to run: tracebacks name its code's file after its source, as
    /// ipykernel compiles it (`KernelProfile.cellFile`), or `<cell>` without a kernel; and
    /// the task names count the asyncio tasks the kernel made after the previous cell.
    package func enterCell(source: String) {
        cellPlace.file = kernel?.cellFile(source: source) ?? "<cell>"
        let before = kernelState.countCell()
        if before > 0, let kernel, let loop = kernelState.existingLoop { loop.countKernelTasks(kernel.tasksPerCell) }
    }

    /// The running cell's file, as tracebacks name it (`<cell>` before any).
    public var currentCellFile: String { cellPlace.file ?? "<cell>" }

    /// Where the standard library is, as tracebacks print it.
    var libraryPrefix: String {
        kernel?.prefix ?? KernelProfile.ipykernel7.prefix
    }
}

extension threading.Thread {
    /// `threading.Thread(target=target, ...)` whose target may raise: as in CPython, the
    /// exception ends the thread and `threading.excepthook` reports it on the interpreter's
    /// stderr (the running cell's), frames and all (`threading.excepthook`).
    public convenience init(
        name: String? = nil, daemon: Bool? = nil, targetName: String? = nil,
        target: @escaping @Sendable () throws -> Void
    ) {
        self.init(name: name, daemon: daemon, targetName: targetName) {
            do { try target() } catch { threading.excepthook(error) }
        }
    }
}

extension threading {
    /// CPython 3.11's `threading.excepthook` for an exception escaping the calling thread's
    /// target: `Exception in thread NAME:` and the traceback from `Thread._bootstrap_inner`
    /// down to where the port says it was raised, on the interpreter's stderr.
    public static func excepthook(_ error: any Error) {
        let interpreter = PyInterpreter.current ?? .processWide
        let file = interpreter.libraryPrefix + "threading.py"
        var frames = [
            TracebackFrame(file: file, line: 1045, function: "_bootstrap_inner", source: "self.run()"),
            TracebackFrame(
                file: file, line: 982, function: "run", source: "self._target(*self._args, **self._kwargs)"),
        ]
        frames += (error as? RaisedInCell)?.frames ?? []
        var report = "Exception in thread \(threading.currentThread().name):\nTraceback (most recent call last):\n"
        report += frames.map(\.printed).joined()
        let message = pythonExceptionMessage(of: error)
        report += pythonExceptionName(of: error) + (message.isEmpty ? "" : ": \(message)") + "\n"
        interpreter.cellPlace.writeStandardError(report)
    }
}
