import Foundation
import Futures
import Processes

#if canImport(Glibc)
    import Glibc
#endif

/// The functions FuturesTests runs in worker processes (this executable is their worker).
package enum FixtureFunctions {
    package static let square = RemoteFunction<Int, Int>("fixture.square") { x in x * x }

    /// Sleeps, then answers with the worker's pid (the notebook's `whoami`).
    package static let whoami = RemoteFunction<Double, Int32>("fixture.whoami") { seconds in
        Thread.sleep(forTimeInterval: seconds)
        return getpid()
    }

    /// A worker-global counter: each worker keeps its own (the notebook's `bump`).
    package static let bump = RemoteFunction<NoValue, Int>("fixture.bump") {
        counter.withLock { count in
            count += 1
            return count
        }
    }

    package static let checkPositive = RemoteFunction<Int, Int>("fixture.checkPositive") { n in
        if n < 0 { throw builtins.ValueError("\(n) is negative") }
        return n
    }

    /// Raises the exception `name` picks: a built-in subclass, a module's class, or a class
    /// without a Swift type (a notebook's own), to see each come back as it was raised.
    package static let raiseNamed = RemoteFunction<String, Int>("fixture.raiseNamed") { name in
        switch name {
        case "ConnectionResetError": throw builtins.ConnectionResetError("peer reset")
        case "BrokenPipeError": throw builtins.OSError.forErrno(32)
        case "Empty": throw queue.Empty()
        case "PicklingError": throw pickle.PicklingError("cannot pickle")
        default: throw PythonError(name, "raised by a notebook's class")
        }
    }

    /// Throws a plain Swift error, which crosses as its Swift type name and description.
    package static let swiftFailure = RemoteFunction<Int, Int>("fixture.swiftFailure") { code in
        throw FixtureFailure(code: code)
    }

    /// Never registered in the worker: calling it must fail with AttributeError.
    package static let unregistered = RemoteFunction<Int, Int>("fixture.unregistered") { $0 }

    package struct Deposit: Codable, Sendable {
        package let balance: multiprocessing.Value<Int32>
        package let times: Int
        package init(balance: multiprocessing.Value<Int32>, times: Int) {
            self.balance = balance
            self.times = times
        }
    }

    /// The notebook's `deposit`: `times` locked increments of the shared balance.
    package static let deposit = RemoteFunction<Deposit, NoValue>("fixture.deposit") { job in
        for _ in 0..<job.times {
            try job.balance.getLock().withLock { try job.balance.setValue(job.balance.value + 1) }
        }
        return NoValue()
    }

    /// A `Process` target that fails, so the child exits 1.
    package static let failingTarget = RemoteFunction<NoValue, NoValue>("fixture.failingTarget") {
        throw builtins.ValueError("target failed")
    }

    /// Lists the fds open in the worker (to check it inherited nothing but its socket).
    package static let openDescriptors = RemoteFunction<NoValue, [Int32]>("fixture.openDescriptors") {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.sorted()
    }

    /// Where the worker's standard output goes (the target of /proc/self/fd/1).
    package static let standardOutputTarget = RemoteFunction<NoValue, String>("fixture.standardOutputTarget") {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/1")) ?? "?"
    }

    /// The worker's parent pid (the fork server's, or the pool owner's when spawned).
    package static let parentPID = RemoteFunction<NoValue, Int32>("fixture.parentPID") { getppid() }

    private static let counter = Locked(0)

    package static let all: [any RemoteFunctionProtocol] = [
        square, whoami, bump, checkPositive, swiftFailure, deposit, failingTarget, openDescriptors,
        standardOutputTarget, parentPID, raiseNamed,
    ]
}

package struct FixtureFailure: Error, CustomStringConvertible {
    package let code: Int
    package var description: String { "fixture failure \(code)" }
}
