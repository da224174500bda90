import Foundation
import Futures  // not @testable: the public API alone must be enough
import XCTest

// The usage from the issue, outside any type, so `wait` is used unqualified as users would.
private func work() throws -> Int { 21 }
private func fetch(_ n: Int) throws -> Int { n * 2 }

private func issueExample() throws -> [Int] {
    let pool = concurrent.futures.ThreadPoolExecutor(maxWorkers: 4)
    let f: concurrent.futures.Future<Int> = pool.submit { try work() }  // no `try` needed to submit
    let v = try f.result()
    let w = try f.result(timeout: 0.1)
    var finished: [Int] = []
    let futures = (0..<4).map { i in pool.submit { i } }
    for g in concurrent.futures.asCompleted(futures) { finished.append(try g.result()) }
    let (done, notDone) = concurrent.futures.wait(futures, timeout: nil, returnWhen: .firstCompleted)
    var mapped: [Int] = []
    for r in try pool.map([1, 2, 3], fetch) { mapped.append(r) }
    pool.shutdown(wait: true)
    return [v, w, finished.sorted() == [0, 1, 2, 3] ? 1 : 0, done.count + notDone.count] + mapped
}

final class IssueExampleTests: XCTestCase {
    func testTheIssueExampleCompilesAndRuns() throws {
        XCTAssertEqual(try issueExample(), [21, 21, 1, 4, 2, 4, 6])
    }
}
