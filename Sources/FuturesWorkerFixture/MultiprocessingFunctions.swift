import Foundation
import Futures
import Processes

/// The functions the multiprocessing tests run in children (each mirrors a Python function
/// of the same scenario run in the real python3).
package enum MultiprocessingFunctions {
    /// `def name(x): return current_process().name`
    package static let processName = RemoteFunction<Int, String>("mp.processName") { _ in
        multiprocessing.currentProcess().name
    }

    /// `def power(a, b): return a ** b` (a starmap target).
    package static let power = RemoteFunction<multiprocessing.ArgumentPair<Int, Int>, Int>("mp.power") {
        (base: Int, exponent: Int) in
        (0..<exponent).reduce(1) { product, _ in product * base }
    }

    package struct Produce: Codable, Sendable {
        package let queue: multiprocessing.Queue<Int>
        package let count: Int
        package init(queue: multiprocessing.Queue<Int>, count: Int) {
            self.queue = queue
            self.count = count
        }
    }

    /// `def produce(q, n): for i in range(n): q.put(i * i)`
    package static let produce = RemoteFunction<Produce, NoValue>("mp.produce") { job in
        for i in 0..<job.count { try job.queue.put(i * i) }
        return NoValue()
    }

    /// `def talk(conn): conn.send(current_process().name); conn.send(conn.recv() * 2); conn.close()`
    package static let talk = RemoteFunction<multiprocessing.Connection<String>, NoValue>("mp.talk") { conn in
        try conn.send(multiprocessing.currentProcess().name)
        let heard = try conn.recv()
        try conn.send(heard + heard)
        conn.close()
        return NoValue()
    }

    package struct Bump: Codable, Sendable {
        package let counts: multiprocessing.Array<Int32>
        package let lock: multiprocessing.Lock
        package let times: Int
        package init(counts: multiprocessing.Array<Int32>, lock: multiprocessing.Lock, times: Int) {
            self.counts = counts
            self.lock = lock
            self.times = times
        }
    }

    /// `def bump(arr, lock, n): for _ in range(n): with lock: for i in range(len(arr)): arr[i] += i`
    package static let bump = RemoteFunction<Bump, NoValue>("mp.bump") { job in
        for _ in 0..<job.times {
            try job.lock.withLock {
                for i in 0..<job.counts.count { try job.counts.set(i, job.counts[i] + Int32(i)) }
            }
        }
        return NoValue()
    }

    /// `def say(x): print(f'child {x}', flush=True); print(f'child err {x}', file=sys.stderr, flush=True)`
    package static let say = RemoteFunction<Int, NoValue>("mp.say") { x in
        FileHandle.standardOutput.write(Data("child \(x)\n".utf8))
        FileHandle.standardError.write(Data("child err \(x)\n".utf8))
        return NoValue()
    }

    package struct Consume: Codable, Sendable {
        package let tasks: multiprocessing.JoinableQueue<Int>
        package let results: multiprocessing.SimpleQueue<Int>
        package init(tasks: multiprocessing.JoinableQueue<Int>, results: multiprocessing.SimpleQueue<Int>) {
            self.tasks = tasks
            self.results = results
        }
    }

    /// `def consume(tasks, results): while (n := tasks.get()) is not None: results.put(n * n);
    /// tasks.task_done()` and a last `task_done()` for the `None` (here -1).
    package static let consume = RemoteFunction<Consume, NoValue>("mp.consume") { job in
        while true {
            let n = try job.tasks.get()
            defer { try? job.tasks.taskDone() }
            if n < 0 { return NoValue() }
            Thread.sleep(forTimeInterval: 0.01)
            try job.results.put(n * n)
        }
    }

    /// `def nap(seconds): time.sleep(seconds)`
    package static let nap = RemoteFunction<Double, NoValue>("mp.nap") { seconds in
        Thread.sleep(forTimeInterval: seconds)
        return NoValue()
    }

    /// `def cwd(_): return os.getcwd()`
    package static let workingDirectory = RemoteFunction<Int, String>("mp.cwd") { _ in
        FileManager.default.currentDirectoryPath
    }

    package static let all: [any RemoteFunctionProtocol] = [
        processName, power, produce, talk, bump, consume, nap, workingDirectory, say,
    ]
}
