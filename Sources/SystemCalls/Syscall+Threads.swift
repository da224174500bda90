import Glibc

/// An OS thread's identity (`pthread_t`), compared with `pthread_equal`: what an owner
/// check ("only on the loop's thread") compares.
package struct ThreadIdentity: Sendable, Hashable {
    private let raw: pthread_t

    /// The calling thread.
    package static var current: ThreadIdentity { ThreadIdentity(raw: pthread_self()) }

    /// Whether the caller runs on this thread.
    package var isCurrent: Bool { pthread_equal(raw, pthread_self()) != 0 }

    /// The identifier Python's `threading.get_ident()` gives: the `pthread_t` as an integer.
    package var pythonIdent: Int { Int(bitPattern: UInt(raw)) }

    package static func == (lhs: ThreadIdentity, rhs: ThreadIdentity) -> Bool {
        pthread_equal(lhs.raw, rhs.raw) != 0
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// A key of thread-specific data (`pthread_key_create`): one pointer per thread, with a
/// destructor run on a thread's value when the thread exits.
package struct ThreadSpecificKey: Sendable {
    private let key: pthread_key_t

    /// A new key; `destructor` gets a thread's non-nil value as the thread exits.
    /// - Throws: `pthread_key_create`'s error (`EAGAIN`: the process's keys are used up).
    package init(destructor: (@convention(c) (UnsafeMutableRawPointer?) -> Void)? = nil) throws(SystemCallError) {
        var key = pthread_key_t()
        try Syscall.checkStatus("pthread_key_create", pthread_key_create(&key, destructor))
        self.key = key
    }

    /// A process-wide key without a destructor, made once at start-up: a failure ends the
    /// program with the error on stderr (`SystemCallError.exitProgram`).
    package static func processWide() -> ThreadSpecificKey {
        do {
            return try ThreadSpecificKey()
        } catch {
            error.exitProgram()
        }
    }

    /// The calling thread's value.
    package var value: UnsafeMutableRawPointer? {
        get { pthread_getspecific(key) }
        nonmutating set { pthread_setspecific(key, newValue) }
    }
}

extension SystemCallError {
    /// Ends the program over a failure nothing can go on without (a process-wide
    /// thread-specific key, made at start-up): one line on stderr, `PROGRAM: call: reason`, and
    /// exit status 1, as nbrun reports a failed run, rather than a trap and a stack dump.
    package func exitProgram() -> Never {
        let program = CommandLine.arguments.first?.split(separator: "/").last.map(String.init) ?? "nbrun"
        Syscall.writeToStandardError("\(program): \(self)\n")
        exit(1)
    }
}
