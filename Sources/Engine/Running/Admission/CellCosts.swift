import Foundation
import Futures
import PythonRuntime
import SystemCalls

/// What each demo's cells cost the cores, learned as they finish, and what the running
/// timing-sensitive cells are known to need right now.
///
/// Wake-up lateness misses one kind of overload: cells that compute a little each (ten
/// thousand asyncio tasks on one loop: ~80 ms of CPU in a 0.55 s cell) started by the
/// hundred. The kernel still wakes a sleeping probe promptly (a sleeper goes ahead of
/// threads that used their share), but each cell gets too small a slice of the cores to
/// print its quiet-machine time. So each cell's CPU time is measured over every thread of
/// its interpreter (the one that runs it, where an event loop runs its tasks, and the
/// threads and executor workers it starts: `PyInterpreter.cpuSeconds`), a demo's need is
/// its cells' mean CPU time over their shortest wall time, and admission keeps the sum of
/// the running cells' needs within the cores (`AdmissionPolicy`).
final class CellCosts: Sendable {
    private struct Entry: Sendable {
        var cpuSeconds = 0.0
        var finished = 0
        var shortestWall = Double.infinity
        var running = 0
        /// Running cells started before the need was known: they reserved nothing, and
        /// count at the need once it is known.
        var startedUnknown = 0
        /// Cores a cell of this demo keeps busy, once one has finished.
        var cores: Double? {
            cpu.map { $0 / max(shortestWall, 0.001) }
        }
        /// CPU seconds a cell of this demo takes, once one has finished.
        var cpu: Double? { finished == 0 ? nil : cpuSeconds / Double(finished) }
        /// Until then, the first running cell's thread: its CPU clock and when it began.
        var learner: (clock: clockid_t, began: Double, cpuThen: Double)?
    }

    /// How long a first cell must have run before its CPU so far can show it only waits.
    let glimpse: Double
    /// Cores below which a demo's need is negligible.
    let lightNeed: Double

    init(settings: AdmissionSettings = .production) {
        glimpse = settings.glimpse
        lightNeed = settings.lightNeed
    }

    private let state = Locked<(demos: [String: Entry], reserved: Double)>(([:], 0))

    /// The cores the running cells are known to keep busy.
    var reservedCores: Double {
        state.withLock { s in
            s.demos.values.reduce(s.reserved) { $0 + Double($1.startedUnknown) * ($1.cores ?? 0) }
        }
    }

    /// What a cell of `demo` needs, in cores and in CPU seconds (`nil` until one has
    /// finished), and how many of its cells run now.
    ///
    /// Before any has finished, a first cell that has run for `glimpse` and used next to
    /// no CPU so far (`lightNeed`) marks the demo as one that only waits, so its many cells
    /// are not held back a whole cell's duration; that glimpse is not trusted the other
    /// way (a first cell sharing busy cores looks lighter than it is), so a demo that
    /// computes stays unknown until a cell has finished.
    func need(of demo: Demo) -> (cores: Double?, cpu: Double?, running: Int) {
        let entry = state.withLock { $0.demos[Self.key(demo)] ?? Entry() }
        if entry.cores == nil, let learner = entry.learner {
            let elapsed = (Self.seconds(on: CLOCK_MONOTONIC) ?? learner.began) - learner.began
            if elapsed >= glimpse, let cpu = Self.seconds(on: learner.clock),
                (cpu - learner.cpuThen) / elapsed < lightNeed
            {
                return (0, 0, entry.running)
            }
        }
        return (entry.cores, entry.cpu, entry.running)
    }

    /// Called on the thread that runs a cell of `demo` as it begins: the first one of a
    /// demo not learned yet lends its thread's CPU clock, for a glimpse of its need.
    ///
    /// A notebook run step by step (`stepByStep`: a session's chain, which stands under its
    /// first cell's demo) gives no glimpse: its first cell may only wait (07's first page)
    /// while a later one starts a dozen threads at once, so its need is known once a whole
    /// run has finished.
    func begins(_ demo: Demo, stepByStep: Bool = false) {
        guard !stepByStep, let clock = ThreadIdentity.currentCPUClock(), let cpu = Self.seconds(on: clock),
            let began = Self.seconds(on: CLOCK_MONOTONIC)
        else { return }
        state.withLock { s in
            let key = Self.key(demo)
            guard s.demos[key]?.finished ?? 0 == 0, s.demos[key]?.learner == nil else { return }
            s.demos[key, default: Entry()].learner = (clock, began, cpu)
        }
    }

    /// A cell of `demo` starts: its need is reserved. Returns what was reserved, `nil` when
    /// the need is not known yet.
    func started(_ demo: Demo) -> Double? {
        state.withLock { s in
            let key = Self.key(demo)
            let need = s.demos[key]?.cores
            s.demos[key, default: Entry()].running += 1
            if let need { s.reserved += need } else { s.demos[key, default: Entry()].startedUnknown += 1 }
            return need
        }
    }

    /// A cell of `demo` ended after `wall` seconds, `cpu` of them on the cores.
    func finished(_ demo: Demo, reserved: Double?, cpu: Double, wall: Double) {
        state.withLock { s in
            var entry = s.demos[Self.key(demo), default: Entry()]
            if let reserved { s.reserved = max(0, s.reserved - reserved) } else { entry.startedUnknown -= 1 }
            entry.running -= 1
            entry.cpuSeconds += cpu
            entry.finished += 1
            entry.shortestWall = min(entry.shortestWall, wall)
            entry.learner = nil  // its thread may run other cells from now on
            s.demos[Self.key(demo)] = entry
        }
    }

    /// A clock's reading in seconds; `nil` if it cannot be read (a thread that is gone).
    static func seconds(on clock: clockid_t) -> Double? {
        Clock.seconds(clock)
    }

    private static func key(_ demo: Demo) -> String { demo.id }
}
