import Foundation
import Futures
import Processes

/// The functions the multiprocessing tests run in children (each mirrors a Python function
/// of the same scenario run in the real python3).
public enum MultiprocessingFunctions {
    /// `def name(x): return current_process().name`
    public static let processName = RemoteFunction<Int, String>("mp.processName") { _ in
        multiprocessing.currentProcess().name
    }

    /// `def power(a, b): return a ** b` (a starmap target).
    public static let power = RemoteFunction<multiprocessing.ArgumentPair<Int, Int>, Int>("mp.power") {
        (base: Int, exponent: Int) in
        (0..<exponent).reduce(1) { product, _ in product * base }
    }

    public struct Produce: Codable, Sendable {
        public let queue: multiprocessing.Queue<Int>
        public let count: Int
        public init(queue: multiprocessing.Queue<Int>, count: Int) {
            self.queue = queue
            self.count = count
        }
    }

    /// `def produce(q, n): for i in range(n): q.put(i * i)`
    public static let produce = RemoteFunction<Produce, NoValue>("mp.produce") { job in
        for i in 0..<job.count { try job.queue.put(i * i) }
        return NoValue()
    }

    /// `def talk(conn): conn.send(current_process().name); conn.send(conn.recv() * 2); conn.close()`
    public static let talk = RemoteFunction<multiprocessing.Connection<String>, NoValue>("mp.talk") { conn in
        try conn.send(multiprocessing.currentProcess().name)
        let heard = try conn.recv()
        try conn.send(heard + heard)
        conn.close()
        return NoValue()
    }

    public struct Bump: Codable, Sendable {
        public let counts: multiprocessing.Array<Int32>
        public let lock: multiprocessing.Lock
        public let times: Int
        public init(counts: multiprocessing.Array<Int32>, lock: multiprocessing.Lock, times: Int) {
            self.counts = counts
            self.lock = lock
            self.times = times
        }
    }

    /// `def bump(arr, lock, n): for _ in range(n): with lock: for i in range(len(arr)): arr[i] += i`
    public static let bump = RemoteFunction<Bump, NoValue>("mp.bump") { job in
        for _ in 0..<job.times {
            try job.lock.withLock {
                for i in 0..<job.counts.count { try job.counts.set(i, job.counts[i] + Int32(i)) }
            }
        }
        return NoValue()
    }

    /// `def say(x): print(f'child {x}', flush=True); print(f'child err {x}', file=sys.stderr, flush=True)`
    public static let say = RemoteFunction<Int, NoValue>("mp.say") { x in
        FileHandle.standardOutput.write(Data("child \(x)\n".utf8))
        FileHandle.standardError.write(Data("child err \(x)\n".utf8))
        return NoValue()
    }

    public static let all: [any RemoteFunctionProtocol] = [processName, power, produce, talk, bump, say]
}
