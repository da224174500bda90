import Foundation
import PythonRuntime

/// A library frame of an IPython traceback: `File PATH:LINE, in FUNCTION(ARGS)` and the
/// source lines IPython shows around LINE (stack_data's pieces: blank lines left out, the
/// statement's block cut where the next begins).
struct LibraryFrame: Sendable, Equatable {
    let file: String
    let line: Int
    let function: String
    let arguments: String
    let context: [(number: Int, text: String)]

    static func == (lhs: LibraryFrame, rhs: LibraryFrame) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.function == rhs.function
            && lhs.context.map(\.number) == rhs.context.map(\.number)
            && lhs.context.map(\.text) == rhs.context.map(\.text)
    }
}

/// The frames of the library code a main thread was waiting in when a `KeyboardInterrupt`
/// reached it, as IPython writes them under CPython 3.11.7 (its `threading.py`, with the
/// kernel profile's install prefix). A wait in C (`Lock.acquire`, `time.sleep`) has none:
/// the traceback ends at the cell's line.
enum InterruptTraceback {
    static func frames(_ interruption: Interruption, prefix: String) -> [LibraryFrame] {
        let threading = compressUser(prefix + "threading.py")
        switch interruption.waitingOn {
        case .join:
            return [
                LibraryFrame(
                    file: threading, line: 1119, function: "Thread.join", arguments: "(self, timeout)",
                    context: [
                        (1116, "    raise RuntimeError(\"cannot join current thread\")"),
                        (1118, "if timeout is None:"),
                        (1119, "    self._wait_for_tstate_lock()"),
                        (1120, "else:"),
                        (1121, "    # the behavior of a negative timeout isn't documented, but"),
                        (1122, "    # historically .join(timeout=x) for x<0 has acted as if timeout=0"),
                        (1123, "    self._wait_for_tstate_lock(timeout=max(timeout, 0))"),
                    ]),
                LibraryFrame(
                    file: threading, line: 1139, function: "Thread._wait_for_tstate_lock",
                    arguments: "(self, block, timeout)",
                    context: [
                        (1136, "    return"),
                        (1138, "try:"),
                        (1139, "    if lock.acquire(block, timeout):"),
                        (1140, "        lock.release()"),
                        (1141, "        self._stop()"),
                    ]),
            ]
        default:
            return []
        }
    }

    /// IPython's `compress_user`: a path under the home directory is written from `~`.
    static func compressUser(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        guard let home, home.count > 1, path.hasPrefix(home + "/") else { return path }
        return "~" + path.dropFirst(home.count)
    }
}
