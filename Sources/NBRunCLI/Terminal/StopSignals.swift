import Engine
import Foundation
import Futures
import Processes
import SystemCalls

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM during a run: every worker process is killed, then nbrun exits with
/// 128 + the signal (130, 143). Notebooks are written atomically, so one being written is
/// either the old file or the whole new one; an interrupted run writes nothing more.
enum StopSignals {
    /// Blocks both signals in this thread (and so in every thread started after it; call
    /// first thing in `main`) and lets one thread wait for them with `sigwait`, where any
    /// code may run, unlike in a signal handler. Children start with no signal blocked
    /// (the spawn resets the mask), so workers still die of a plain SIGTERM.
    static func install() {
        let signals = [SIGINT, SIGTERM]
        Syscall.blockSignals(signals)
        let thread = Thread {
            let received = Syscall.waitForSignal(signals)
            concurrent.futures.ProcessPoolExecutor.terminateAllWorkers()
            KernelProcesses.terminateAll()  // each verify driver then shuts its kernel down
            let name = received == SIGINT ? "SIGINT" : "SIGTERM"
            Terminal.printProgress("\nnbrun: stopped by \(name); worker processes ended\n")
            _exit(128 + received)
        }
        thread.name = "nbrun.stop-signals"
        thread.start()
    }
}
