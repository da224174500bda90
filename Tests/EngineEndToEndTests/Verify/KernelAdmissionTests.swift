import Foundation
import XCTest

@testable import Engine

/// Kernel cells are admitted under the rules ports are.
final class KernelAdmissionTests: XCTestCase {
    func testAnAllCoresCellRunsAloneAndIsNotStarved() throws {
        let admission = KernelAdmission(cores: 2)
        admission.start(.timingSensitive)
        let started = Locked(false)
        let exclusive = Thread {
            admission.start(.allCores)
            started.set(true)
            admission.finish(.allCores)
        }
        exclusive.start()
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(started.get(), "it waits for the running cell")
        // Once it waits, nothing new starts before it.
        let later = Locked(false)
        let other = Thread {
            admission.start(.timingSensitive)
            later.set(started.get())
            admission.finish(.timingSensitive)
        }
        other.start()
        Thread.sleep(forTimeInterval: 0.1)
        admission.finish(.timingSensitive)
        let deadline = Date() + 10
        while !(started.get() && later.get()) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(started.get())
        XCTAssertTrue(later.get(), "the timing-sensitive cell that asked later started after the exclusive one")
    }
}

extension KernelAdmissionTests {
    func testATimingSensitiveCellKeepsACoreOfItsOwn() throws {
        let admission = KernelAdmission(cores: 2)
        admission.start(.oneCore)
        admission.start(.oneCore)  // nothing timing-sensitive: one per core
        let started = Locked(false)
        let cell = Thread {
            admission.start(.timingSensitive)
            started.set(true)
            admission.finish(.timingSensitive)
        }
        cell.start()
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertFalse(started.get(), "both cores are busy with one-core work")
        admission.finish(.oneCore)
        let deadline = Date() + 10
        while !started.get() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertTrue(started.get(), "it starts beside the one-core work left")
        admission.finish(.oneCore)
    }
}

/// A value shared with a thread in a test.
private final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
