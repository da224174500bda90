import Engine
import Foundation
import Futures
import Processes

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
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let waited = signals
        let thread = Thread {
            var set = waited
            var received: Int32 = 0
            while sigwait(&set, &received) != 0 {}
            concurrent.futures.ProcessPoolExecutor.terminateAllWorkers()
            KernelProcesses.terminateAll()  // each verify driver then shuts its kernel down
            let name = received == SIGINT ? "SIGINT" : "SIGTERM"
            FileHandle.standardError.write(Data("\nnbrun: stopped by \(name); worker processes ended\n".utf8))
            _exit(128 + received)
        }
        thread.name = "nbrun.stop-signals"
        thread.start()
    }
}
