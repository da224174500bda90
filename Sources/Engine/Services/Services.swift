import Foundation
import Processes
import PythonRuntime
import SystemCalls

/// A service that could not be started: its name and what went wrong, said as
/// `service io-server: port 8765 is already in use`.
package struct ServiceError: Error, Sendable, CustomStringConvertible {
    package let service: String
    package let problem: String

    package var description: String { "service \(service): \(problem)" }
}

/// Starting the services a run's notebooks need, and stopping them when it ends.
package enum Services {
    /// The services of `course` that `plans` need (a demo of theirs belongs to one of the
    /// service's notebooks), each once however many notebooks need it.
    package static func needed(by plans: [RunPlan], among services: [Service]) -> [Service] {
        let notebooks = Set(plans.flatMap { $0.steps.map(\.demo.notebook) })
        return services.filter { !notebooks.isDisjoint(with: $0.notebooks) }
    }

    /// Starts each of `services`, waits until every one answers, runs `body`, and stops them
    /// (also when `body` throws). SIGINT, SIGTERM and nbrun's death stop them too (see
    /// `ServiceProcess`). A service that cannot be started stops those already started and
    /// throws `ServiceError` before `body` runs.
    package static func with<R>(_ services: [Service], _ body: () throws -> R) throws -> R {
        var started: [ServiceProcess] = []
        defer { for process in started.reversed() { process.stop() } }
        for service in services {
            started.append(try start(service))
        }
        return try body()
    }

    /// Starts `service` and returns once it answers.
    static func start(_ service: Service) throws(ServiceError) -> ServiceProcess {
        func fail(_ problem: String) -> ServiceError { ServiceError(service: service.name, problem: problem) }
        if ReadinessProbe.accepts(port: service.port) {
            throw fail("port \(service.port) is already in use (something else listens on 127.0.0.1:\(service.port))")
        }
        guard let path = executablePath(service.executable) else {
            throw fail("\(service.executable) not found next to \(ownDirectory ?? "nbrun") or on PATH (build it first)")
        }
        let process: ServiceProcess
        do {
            process = try ServiceProcess(executable: path, arguments: service.arguments)
        } catch {
            throw fail("cannot start \(path): \(error)")
        }
        let deadline = Clock.monotonic + service.startupTimeout
        while true {
            if let code = process.exitCode {
                let printed = process.printed.split(separator: "\n").last.map { ": \($0)" } ?? ""
                let how = code < 0 ? "was killed by signal \(-code)" : "exited with status \(code)"
                throw fail("\(how) before it answered on port \(service.port)\(printed)")
            }
            if ReadinessProbe.answers(port: service.port, path: service.readyPath) { return process }
            if Clock.monotonic >= deadline {
                process.stop(grace: 0.5)
                throw fail(
                    "did not answer on port \(service.port) within \(secondsText(service.startupTimeout)) s"
                )
            }
            usleep(20_000)
        }
    }

    /// The folder of the running binary: a course's products are built side by side.
    static var ownDirectory: String? {
        Syscall.readLink("/proc/self/exe").map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }

    /// `name` next to this binary, then on PATH; a name with a `/` as it is.
    static func executablePath(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = [ownDirectory].compactMap { $0 } + path.split(separator: ":").map(String.init)
        return folders.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }
}

/// `10`, `0.5`: seconds as a person writes them.
private func secondsText(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}

/// Whether a port on 127.0.0.1 accepts connections, and answers HTTP.
enum ReadinessProbe {
    /// A connection to 127.0.0.1:`port` is accepted within 0.5 s.
    static func accepts(port: Int) -> Bool {
        guard let descriptor = connect(port: port) else { return false }
        Syscall.closeIgnoringErrors(descriptor)
        return true
    }

    /// The port accepts a connection and, when `path` is given, a GET of it gets a status line.
    static func answers(port: Int, path: String?) -> Bool {
        guard let descriptor = connect(port: port) else { return false }
        defer { Syscall.closeIgnoringErrors(descriptor) }
        guard let path else { return true }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard (try? request.withUnsafeBytes({ try Syscall.sendSome(descriptor, $0) })) == request.count,
            (try? Syscall.waitUntilReady(descriptor, seconds: 2)) == true
        else { return false }
        var reply = [UInt8](repeating: 0, count: 5)
        let count = reply.withUnsafeMutableBytes { (try? Syscall.receiveSome(descriptor, into: $0)) ?? nil }
        return count == 5 && reply == Array("HTTP/".utf8)
    }

    private static func connect(port: Int) -> Int32? {
        guard let address = try? Syscall.addresses(host: "127.0.0.1", port: port).first,
            let descriptor = try? Syscall.streamSocket(for: address)
        else { return nil }
        do {
            if try !Syscall.startConnect(descriptor, to: address) {
                guard try Syscall.waitUntilReady(descriptor, writable: true, seconds: 0.5) else {
                    throw SystemCallError("connect", Errno(rawValue: ETIMEDOUT))
                }
                try Syscall.connectionResult(descriptor)
            }
            return descriptor
        } catch {
            Syscall.closeIgnoringErrors(descriptor)
            return nil
        }
    }
}
