/// A shortest line diff in linear space: Myers' O((N+M)·D) algorithm, split at the middle
/// of the edit path (the bisection diff-match-patch uses), so two outputs of 10,000 lines
/// with one changed cost about 20,000 comparisons and a few arrays of D, not a 10,000² table.
///
/// Lines are compared with a predicate (a tolerance for measured numbers, masks), which
/// need not be an equivalence: following a matching pair is always on some shortest path.
/// The work is bounded: past `workLimit` comparisons, what is left to split is reported as
/// removed then added, a correct diff that is no longer the shortest.
enum LineDiff {
    enum Step: Equatable {
        /// Line `expected` of the first sequence matches line `actual` of the second.
        case both(expected: Int, actual: Int)
        case removed(Int)
        case added(Int)
    }

    /// Comparisons one diff may make before giving up on finding the shortest one.
    static let workLimit = 20_000_000

    /// The steps turning `expected` lines `0..<n` into `actual` lines `0..<m`; within each run
    /// of changes, removals come before additions.
    static func steps(_ n: Int, _ m: Int, workLimit: Int = workLimit, matches: (Int, Int) -> Bool) -> [Step] {
        withoutActuallyEscaping(matches) { matches in
            var search = Search(matches: matches, budget: workLimit)
            search.diff(0..<n, 0..<m)
            return grouped(search.steps)
        }
    }

    /// Each run of changes as its removals, then its additions (as `git diff` shows them).
    private static func grouped(_ steps: [Step]) -> [Step] {
        var result: [Step] = []
        result.reserveCapacity(steps.count)
        var added: [Step] = []
        for step in steps {
            switch step {
            case .both:
                result += added
                added.removeAll(keepingCapacity: true)
                result.append(step)
            case .removed: result.append(step)
            case .added: added.append(step)
            }
        }
        return result + added
    }

    private struct Search {
        let matches: (Int, Int) -> Bool
        /// Comparisons left.
        var budget: Int
        var steps: [Step] = []

        init(matches: @escaping (Int, Int) -> Bool, budget: Int) {
            self.matches = matches
            self.budget = budget
        }

        mutating func same(_ i: Int, _ j: Int) -> Bool {
            budget -= 1
            return matches(i, j)
        }

        mutating func diff(_ a: Range<Int>, _ b: Range<Int>) {
            var a = a, b = b
            // The common head and tail first: most outputs differ in a few lines.
            while !a.isEmpty, !b.isEmpty, same(a.lowerBound, b.lowerBound) {
                steps.append(.both(expected: a.lowerBound, actual: b.lowerBound))
                a = a.dropFirst()
                b = b.dropFirst()
            }
            var tail = 0
            while a.count > tail, b.count > tail, same(a.upperBound - 1 - tail, b.upperBound - 1 - tail) { tail += 1 }
            let middleA = a.lowerBound..<(a.upperBound - tail), middleB = b.lowerBound..<(b.upperBound - tail)
            if middleA.isEmpty || middleB.isEmpty || (middleA.count == 1 && middleB.count == 1) || budget <= 0 {
                replace(middleA, middleB)
            } else if let (x, y) = bisect(middleA, middleB),
                (x, y) != (middleA.lowerBound, middleB.lowerBound), (x, y) != (middleA.upperBound, middleB.upperBound)
            {
                diff(middleA.lowerBound..<x, middleB.lowerBound..<y)
                diff(x..<middleA.upperBound, y..<middleB.upperBound)
            } else {
                replace(middleA, middleB)
            }
            for offset in stride(from: tail, to: 0, by: -1) {
                steps.append(.both(expected: a.upperBound - offset, actual: b.upperBound - offset))
            }
        }

        /// Everything in `a` removed, everything in `b` added.
        mutating func replace(_ a: Range<Int>, _ b: Range<Int>) {
            steps += a.map(Step.removed) + b.map(Step.added)
        }

        /// The end of the forward snake on the middle of a shortest edit path through
        /// `a` × `b`, found by searching from both ends at once (Myers 1986, section 4b);
        /// nil when the work budget ran out first.
        mutating func bisect(_ a: Range<Int>, _ b: Range<Int>) -> (Int, Int)? {
            let n = a.count, m = b.count
            let maxD = (n + m + 1) / 2
            let offset = maxD + 1
            var forward = [Int](repeating: -1, count: 2 * offset + 2)
            var backward = forward
            forward[offset + 1] = 0
            backward[offset + 1] = 0
            let delta = n - m
            let checkOnForward = delta % 2 != 0
            var forwardStart = 0, forwardEnd = 0, backwardStart = 0, backwardEnd = 0
            for d in 0..<maxD {
                guard budget > 0 else { return nil }
                for k in stride(from: -d + forwardStart, through: d - forwardEnd, by: 2) {
                    let index = offset + k
                    var x =
                        k == -d || (k != d && forward[index - 1] < forward[index + 1])
                        ? forward[index + 1] : forward[index - 1] + 1
                    var y = x - k
                    while x < n, y < m, same(a.lowerBound + x, b.lowerBound + y) {
                        x += 1
                        y += 1
                    }
                    forward[index] = x
                    if x > n {
                        forwardEnd += 2
                    } else if y > m {
                        forwardStart += 2
                    } else if checkOnForward {
                        let other = offset + delta - k
                        if other >= 0, other < backward.count, backward[other] != -1, x >= n - backward[other] {
                            return (a.lowerBound + x, b.lowerBound + y)
                        }
                    }
                }
                for k in stride(from: -d + backwardStart, through: d - backwardEnd, by: 2) {
                    let index = offset + k
                    var x =
                        k == -d || (k != d && backward[index - 1] < backward[index + 1])
                        ? backward[index + 1] : backward[index - 1] + 1
                    var y = x - k
                    while x < n, y < m, same(a.upperBound - 1 - x, b.upperBound - 1 - y) {
                        x += 1
                        y += 1
                    }
                    backward[index] = x
                    if x > n {
                        backwardEnd += 2
                    } else if y > m {
                        backwardStart += 2
                    } else if !checkOnForward {
                        let other = offset + delta - k
                        if other >= 0, other < forward.count, forward[other] != -1 {
                            let forwardX = forward[other]
                            let forwardY = forwardX - (other - offset)
                            if forwardX >= n - x { return (a.lowerBound + forwardX, b.lowerBound + forwardY) }
                        }
                    }
                }
            }
            return nil
        }
    }
}
