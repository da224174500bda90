import Dispatch
import Foundation
import Futures
import Processes

/// Cell 12 of 03-processes: the cost of one message per item against one per 1,000 items.
enum MapMeasurement {
    static func run() throws {
        let numbers = 0..<10_000
        var start = DispatchTime.now()
        let total = try numbers.map { try FixtureFunctions.square($0) }.reduce(0, +)
        print(String(format: "plain map:            %.3fs  total=%ld", elapsed(since: start), total))
        try concurrent.futures.ProcessPoolExecutor.with(maxWorkers: 2) { pool in
            _ = try pool.map(FixtureFunctions.square, 0..<2)  // both workers started, as in a warm pool
            for chunksize in [1, 1_000] {
                let sentBefore = pool.messagesSent
                start = DispatchTime.now()
                let sum = try pool.map(FixtureFunctions.square, numbers, chunksize: chunksize).reduce(0, +)
                let seconds = elapsed(since: start)
                precondition(sum == total)
                let messages = pool.messagesSent - sentBefore
                print(
                    String(
                        format: "pool, chunksize=%-5d %.3fs  (%d messages, %.1f µs each)",
                        chunksize, seconds, messages, seconds / Double(messages) * 1e6))
            }
        }
    }

    private static func elapsed(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
