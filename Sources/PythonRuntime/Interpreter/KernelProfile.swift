import Foundation

/// The process a Jupyter kernel runs a notebook in, as far as a port's output shows it:
/// the kernel's own threads (`threading.enumerate()` lists them beside the notebook's), where
/// the `Thread-N` counter stands when the first cell runs, the Python install prefix and the
/// file names tracebacks give a cell. Measured with the real kernel by
/// `scripts/kernel_profile.py` (docs/kernel.md); the tests compare the two.
///
/// An interpreter made with a profile (`PyInterpreter(kernel:)`, as the engine makes them for
/// notebooks) looks like that kernel; one made without (the tests' default) looks like a bare
/// `python3` process: MainThread alone, `Thread-1` first.
public struct KernelProfile: Sendable, Equatable {
    /// What the profile stands for, e.g. `ipykernel 7.4 on CPython 3.11.7`.
    public var name: String
    /// The kernel's threads after MainThread, in `threading.enumerate()`'s order (all daemons).
    public var threads: [String]
    /// `Thread-N` names already given when the first cell runs: the notebook's first
    /// unnamed thread is `Thread-(N+1)`.
    public var threadCounter: Int
    /// Where the standard library lives, as tracebacks print it (`/usr/lib/python3.11/`).
    public var prefix: String
    /// asyncio tasks the kernel has made before the first cell runs (`Task-N` names). A cell
    /// with a top-level `await` runs as one more task, before its code.
    public var tasksAtStart = 11
    /// asyncio tasks the kernel makes for each cell it executes, after the cell's code has run.
    public var tasksPerCell = 3
    /// The kernel's process id in cell file names (`/tmp/ipykernel_PID/...`); CPython's
    /// varies with every run, so a course masks it (nbrun.json).
    public var pid: Int

    /// A profile with the kernel's task counts of `ipykernel7`.
    public init(name: String, threads: [String], threadCounter: Int, prefix: String, pid: Int) {
        self.name = name
        self.threads = threads
        self.threadCounter = threadCounter
        self.prefix = prefix
        self.pid = pid
    }

    /// ipykernel 7.4 on CPython 3.11.7 under nbclient 0.11, the course's references; the
    /// prefix as the references write it (a Debian python3.11); the pid nbrun's own.
    public static let ipykernel7 = KernelProfile(
        name: "ipykernel 7.4 on CPython 3.11.7",
        threads: [
            "IOPub", "Heartbeat", "Thread-2 (_watch_pipe_fd)", "Thread-3 (_watch_pipe_fd)", "Control",
            "Shell channel", "Thread-1",
        ],
        threadCounter: 4, prefix: "/usr/lib/python3.11/", pid: Int(getpid()))

    /// The file a cell's code is compiled as, which tracebacks name: ipykernel's
    /// `get_file_name`, `/tmp/ipykernel_PID/HASH.py`, HASH murmur2 (x86, 32 bits) of the
    /// cell's UTF-8 source with ipykernel's seed.
    public func cellFile(source: String) -> String {
        "/tmp/ipykernel_\(pid)/\(Self.murmur2(Array(source.utf8), seed: 0xC70F_6907)).py"
    }

    /// ipykernel's `murmur2_x86` (ipykernel/compiler.py): MurmurHash2, 32 bits, little endian.
    static func murmur2(_ data: [UInt8], seed: UInt32) -> UInt32 {
        let m: UInt32 = 0x5BD1_E995
        var h = seed ^ UInt32(truncatingIfNeeded: data.count)
        let roundedEnd = data.count & ~3
        var index = 0
        while index < roundedEnd {
            var k =
                UInt32(data[index]) | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2]) << 16
                | UInt32(data[index + 3]) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            index += 4
        }
        let tail = data.count & 3
        var k: UInt32 = 0
        if tail == 3 { k = UInt32(data[roundedEnd + 2]) << 16 }
        if tail >= 2 { k |= UInt32(data[roundedEnd + 1]) << 8 }
        if tail >= 1 {
            k |= UInt32(data[roundedEnd])
            h ^= k
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }
}
