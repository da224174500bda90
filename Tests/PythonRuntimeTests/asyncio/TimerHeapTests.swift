import XCTest

@testable import PythonRuntime

/// The loop's timer heap pops by deadline, ties in push order, whatever the push order.
final class TimerHeapTests: XCTestCase {
    func testPopsByDeadlineThenPushOrder() {
        var generator = SeededGenerator(seed: 9)
        let deadlines = (0..<500).map { _ in Double(Int.random(in: 0..<100, using: &generator)) }
        var heap = TimerHeap()
        let timers = deadlines.map { LoopTimer(deadline: $0) }
        for timer in timers { heap.push(timer) }
        var popped: [LoopTimer] = []
        while let timer = heap.popFirst() { popped.append(timer) }
        let expected = timers.indices.sorted { (deadlines[$0], $0) < (deadlines[$1], $1) }.map { timers[$0] }
        XCTAssertEqual(popped.map(ObjectIdentifier.init), expected.map(ObjectIdentifier.init))
        XCTAssertNil(heap.first)
    }

    func testInterleavedPushesAndPops() {
        var heap = TimerHeap()
        for deadline in [5.0, 1.0, 3.0] { heap.push(LoopTimer(deadline: deadline)) }
        XCTAssertEqual(heap.popFirst()?.deadline, 1)
        heap.push(LoopTimer(deadline: 2))
        heap.push(LoopTimer(deadline: 9))
        XCTAssertEqual(
            [heap.popFirst(), heap.popFirst(), heap.popFirst(), heap.popFirst()].map { $0?.deadline }, [2, 3, 5, 9])
        XCTAssertNil(heap.popFirst())
    }
}
