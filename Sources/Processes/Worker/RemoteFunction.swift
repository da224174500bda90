import Foundation
import Futures
import SystemCalls

/// A function a worker process can run: the Swift counterpart of pickling a function by its
/// qualified name. Only the name crosses to the worker; arguments and results cross as JSON
/// (or a plain binary form for scalars, see `WireFormat`).
///
/// Declare it once, register it in `main` before `ProcessWorker.runIfRequested()`, and pass
/// the same handle to `concurrent.futures.ProcessPoolExecutor.submit` or `multiprocessing.Process`:
///
///     static let square = RemoteFunction<Int, Int>("03-processes.square") { x in x * x }
public struct RemoteFunction<Argument: Codable & Sendable, Output: Codable & Sendable>: RemoteFunctionProtocol {
    /// The stable name the worker looks the function up by.
    public let name: String
    /// The function itself; a worker process runs it on each argument.
    public let body: @Sendable (Argument) throws -> Output

    /// A function a worker finds by `name` (e.g. `"03-processes.square"`, unique in the course).
    public init(_ name: String, _ body: @escaping @Sendable (Argument) throws -> Output) {
        self.name = name
        self.body = body
    }

    /// Calls the function here, in this process.
    public func callAsFunction(_ argument: Argument) throws -> Output { try body(argument) }

    /// The function without its types, as the worker's registry keeps it.
    public var erased: ErasedRemoteFunction {
        let body = self.body
        return ErasedRemoteFunction(name: name) { payload, descriptors in
            let userInfo: [CodingUserInfoKey: any Sendable] = descriptors.map { [SharedDescriptors.key: $0] } ?? [:]
            let arguments = try WireFormat.decode([Argument].self, from: payload, userInfo: userInfo)
            // One call per argument, in order; the first error ends the batch, as in Python's chunks.
            let outputs = try arguments.map(body)
            return try WireFormat.encode(outputs)
        }
    }

    /// Encodes a batch of arguments; `descriptors` collects the shared-memory fds a child inherits.
    func encode(_ arguments: [Argument], descriptors: SharedDescriptors? = nil) throws -> [UInt8] {
        try WireFormat.encode(arguments, userInfo: descriptors.map { [SharedDescriptors.key: $0] } ?? [:])
    }

    func decodeOutputs(_ payload: [UInt8]) throws -> [Output] {
        try WireFormat.decode([Output].self, from: payload)
    }
}

extension RemoteFunction where Argument == NoValue {
    /// A function of no arguments (Python's `def bump():`).
    public init(_ name: String, _ body: @escaping @Sendable () throws -> Output) {
        self.init(name) { (_: NoValue) in try body() }
    }

    /// Calls the function here, in this process.
    public func callAsFunction() throws -> Output { try body(NoValue()) }
}

/// The argument of a function that takes none, or the result of one that returns nothing.
public struct NoValue: Codable, Sendable, Equatable {
    /// The one value.
    public init() {}
}

/// Any `RemoteFunction`, whatever its types, so several can be registered in one call.
public protocol RemoteFunctionProtocol: Sendable {
    var name: String { get }
    var erased: ErasedRemoteFunction { get }
}

/// A registered function with its types erased: bytes in, bytes out.
public struct ErasedRemoteFunction: Sendable {
    let name: String
    let invoke: @Sendable (_ payload: [UInt8], _ descriptors: SharedDescriptors?) throws -> [UInt8]
}

/// The functions this program can run in its workers, by name.
enum RemoteFunctionRegistry {
    private static let functions = Locked<[String: ErasedRemoteFunction]>([:])

    static func register(_ function: ErasedRemoteFunction) {
        functions.withLock { $0[function.name] = function }
    }

    static func lookUp(_ name: String) -> ErasedRemoteFunction? {
        functions.withLock { $0[name] }
    }
}

/// File descriptors that travel with a child's arguments (shared `Value`s), gathered while
/// encoding in the parent and used as plain fd numbers while decoding in the child.
final class SharedDescriptors: Sendable {
    static let key = CodingUserInfoKey(rawValue: "Futures.SharedDescriptors")!

    /// The first fd a child inherits for shared values (3 is its request socket).
    static let firstInherited: Int32 = 4

    /// The parent's fds the child inherits, in order, and (in the child) the inherited fds
    /// already owned by a decoded object. An encoder or decoder runs on one thread; the lock
    /// only makes that a fact the compiler checks.
    private let state = Locked((parent: [Int32](), claimed: Set<Int32>()))

    /// The fds the child inherits, in the order of their numbers there.
    var parentDescriptors: [Int32] { state.withLock { $0.parent } }

    /// Adds `fd` to those the child inherits; returns the number it will have there.
    func inherit(_ fd: Int32) -> Int32 {
        state.withLock { s in
            if let index = s.parent.firstIndex(of: fd) { return Self.firstInherited + Int32(index) }
            s.parent.append(fd)
            return Self.firstInherited + Int32(s.parent.count - 1)
        }
    }

    /// In the child: a descriptor the decoded object owns (and closes) for the inherited `fd`:
    /// `fd` itself the first time, a duplicate when the same object arrives twice in the
    /// arguments. Either is close-on-exec, so this child's own children don't inherit it.
    func claim(_ fd: Int32) throws -> Int32 {
        guard fd >= Self.firstInherited else {
            throw builtins.RuntimeError("a shared object arrived as fd \(fd), not an inherited one")
        }
        if state.withLock({ $0.claimed.contains(fd) }) { return try Syscall.duplicate(fd) }
        try Syscall.setCloseOnExec(fd)
        state.withLock { _ = $0.claimed.insert(fd) }
        return fd
    }
}
