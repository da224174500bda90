import Foundation
import Futures
import FuturesWorkerFixture
import Processes
import ProcessesTestKit
import TestKit
import XCTest

/// `imap`/`imap_unordered` with `chunksize > 1` stop at the first failed chunk, as CPython's
/// generator over the chunks does; with `chunksize=1` the iteration goes on past the error.
final class IMapChunksTests: XCTestCase {
    override func setUpWithError() throws {
        _ = try WorkerFixture.install()
        guard PythonReference.executable != nil else { throw XCTSkip("no python3 on this machine") }
    }

    func testAFailedChunkEndsTheIterationOnlyWhenChunked() throws {
        let python = try PythonReference.lines(
            """
            import multiprocessing as mp
            def check(n):
                if n < 0: raise ValueError(f"{n} is negative")
                return n
            def drain(it):
                got = []
                try:
                    for x in it: got.append(x)
                except ValueError as e: got.append(f"ValueError {e}")
                return got, list(it)
            with mp.Pool(2) as pool:
                print(*drain(pool.imap(check, [1, 2, 3, -4, 5, 6, 7, 8], chunksize=3)))
                print(*drain(pool.imap(check, [1, -2, 3, 4], chunksize=1)))
                got, rest = drain(pool.imap_unordered(check, [-1, -2, -3, -4], chunksize=2))
                print(len(got), got[0].split()[0], rest)
            """)
        var swift: [String] = []
        let check = FixtureFunctions.checkPositive
        func drain(_ iterator: multiprocessing.IMapIterator<Int>) -> ([String], [Int]) {
            var got: [String] = []
            do {
                while let value = try iterator.next() { got.append(String(value)) }
            } catch {
                got.append("\(pythonExceptionName(of: error)) \(pythonExceptionMessage(of: error))")
            }
            var rest: [Int] = []
            while let value = try? iterator.next() { rest.append(value) }
            return (got, rest)
        }
        func show(_ drained: ([String], [Int])) -> String {
            "[" + drained.0.map { Int($0) != nil ? $0 : "'\($0)'" }.joined(separator: ", ") + "] \(drained.1)"
        }
        try multiprocessing.Pool.with(processes: 2) { pool in
            swift.append(show(drain(try pool.imap(check, [1, 2, 3, -4, 5, 6, 7, 8], chunksize: 3))))
            swift.append(show(drain(try pool.imap(check, [1, -2, 3, 4], chunksize: 1))))
            let (got, rest) = drain(try pool.imapUnordered(check, [-1, -2, -3, -4], chunksize: 2))
            swift.append("\(got.count) \(got[0].split(separator: " ")[0]) \(rest)")
        }
        XCTAssertEqual(swift, python)
    }
}
