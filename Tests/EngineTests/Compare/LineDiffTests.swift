import XCTest

@testable import Engine

/// The line diff behind `check` and `diff`: a valid edit script, a shortest one, and work in
/// proportion to the lines times the differences, never to the lines squared.
final class LineDiffTests: XCTestCase {
    /// Whether `steps` turns `a` into `b`, using each line once and in order.
    func assertValid(
        _ steps: [LineDiff.Step], _ a: [Int], _ b: [Int], file: StaticString = #filePath, line: UInt = #line
    ) {
        var i = 0, j = 0
        for step in steps {
            switch step {
            case .both(let x, let y):
                XCTAssertEqual([x, y], [i, j], file: file, line: line)
                XCTAssertEqual(a[x], b[y], file: file, line: line)
                i += 1
                j += 1
            case .removed(let x):
                XCTAssertEqual(x, i, file: file, line: line)
                i += 1
            case .added(let y):
                XCTAssertEqual(y, j, file: file, line: line)
                j += 1
            }
        }
        XCTAssertEqual([i, j], [a.count, b.count], file: file, line: line)
    }

    /// The longest common subsequence's length, by the quadratic table.
    func lcs(_ a: [Int], _ b: [Int]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    func testRandomSequencesGetAShortestValidDiff() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let a = (0..<Int.random(in: 0...30, using: &generator)).map { _ in Int.random(in: 0...3, using: &generator)
            }
            var b = a
            for _ in 0..<Int.random(in: 0...8, using: &generator) {
                switch Int.random(in: 0...2, using: &generator) {
                case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &generator))
                case 1:
                    b.insert(
                        Int.random(in: 0...3, using: &generator), at: Int.random(in: 0...b.count, using: &generator))
                default: if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &generator)] = 9 }
                }
            }
            let steps = LineDiff.steps(a.count, b.count) { a[$0] == b[$1] }
            assertValid(steps, a, b)
            let kept = steps.filter { if case .both = $0 { true } else { false } }.count
            XCTAssertEqual(kept, lcs(a, b), "\(a) -> \(b)")
        }
    }

    func testTenThousandLinesWithOneChangedCostLinearWork() {
        let a = Array(0..<10_000)
        var b = a
        b[5_000] = -1
        var comparisons = 0
        let steps = LineDiff.steps(a.count, b.count) {
            comparisons += 1
            return a[$0] == b[$1]
        }
        assertValid(steps, a, b)
        XCTAssertEqual(steps.filter { $0 != .both(expected: 5_000, actual: 5_000) }.count, 10_001)
        XCTAssertEqual(steps[5_000], .removed(5_000))
        XCTAssertEqual(steps[5_001], .added(5_000))
        XCTAssertLessThan(comparisons, 40_000, "a quadratic diff would make 100,000,000")
    }

    func testRunsOfChangesShowRemovalsBeforeAdditions() {
        let a = [1, 2, 3, 4], b = [1, 7, 8, 4]
        XCTAssertEqual(
            LineDiff.steps(a.count, b.count) { a[$0] == b[$1] },
            [
                .both(expected: 0, actual: 0), .removed(1), .removed(2), .added(1), .added(2),
                .both(expected: 3, actual: 3),
            ])
    }

    /// Past its work limit the diff is still correct, just no longer the shortest.
    func testTheWorkIsBounded() {
        let a = (0..<20_000).map { $0 % 7 }, b = (0..<20_000).map { $0 % 5 }
        var comparisons = 0
        let steps = LineDiff.steps(a.count, b.count, workLimit: 100_000) {
            comparisons += 1
            return a[$0] == b[$1]
        }
        assertValid(steps, a, b)
        XCTAssertLessThan(comparisons, 200_000)
    }
}
