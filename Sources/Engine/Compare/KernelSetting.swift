import Foundation
import Notebook
import PythonRuntime

/// `nbrun.json`'s `kernel`: the kernel the course's references came from, when it is not
/// ipykernel 7 on CPython 3.11 (`KernelProfile.ipykernel7`). Each key overrides the profile's:
///
/// ```json
/// "kernel": {"name": "ipykernel 6 on CPython 3.12", "prefix": "/usr/lib/python3.12/",
///            "threads": ["IOPub", "Heartbeat", "Control"], "thread_counter": 2}
/// ```
/// `"kernel": null` runs sessions in a bare `python3` (MainThread alone, `Thread-1` first).
enum KernelSetting {
    static func profile(_ value: JSONValue, origin: String) throws(RuleError) -> KernelProfile? {
        if case .null = value { return nil }
        guard case .object(let object) = value else {
            throw RuleError(origin, "\"kernel\" must be an object or null")
        }
        var profile = KernelProfile.ipykernel7
        for (key, value) in object.members {
            switch (key, value) {
            case ("name", .string(let name)): profile.name = name
            case ("prefix", .string(let prefix)): profile.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
            case ("threads", .array(let items)) where items.allSatisfy({ $0.stringValue != nil }):
                profile.threads = items.compactMap(\.stringValue)
            case ("thread_counter", .int(let count)) where count >= 0: profile.threadCounter = Int(count)
            case ("name", _), ("prefix", _):
                throw RuleError(origin, "kernel.\(key) must be a string")
            case ("threads", _):
                throw RuleError(origin, "kernel.threads must be a list of thread names")
            case ("thread_counter", _):
                throw RuleError(origin, "kernel.thread_counter must be a non-negative integer")
            default:
                throw RuleError(origin, "unknown kernel key \"\(key)\" (name, prefix, threads, thread_counter)")
            }
        }
        return profile
    }
}
