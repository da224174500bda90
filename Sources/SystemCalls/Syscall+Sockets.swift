import Glibc

/// One address `getaddrinfo` gave for a TCP host and port, ready for `socket` and `connect`.
package struct SocketAddress: Sendable, Hashable {
    /// `AF_INET` or `AF_INET6`.
    package let family: Int32
    /// The `sockaddr_in` or `sockaddr_in6`, as bytes.
    let storage: [UInt8]
}

/// A host name `getaddrinfo` could not resolve: CPython's `socket.gaierror`, whose `str` is
/// `[Errno -2] Name or service not known`.
package struct AddressLookupError: Error, Sendable, Hashable {
    /// The `EAI_*` code (negative on glibc).
    package let code: Int32

    /// The error for `getaddrinfo`'s `code`.
    package init(code: Int32) {
        self.code = code
    }

    /// `gai_strerror(code)`: `Name or service not known`.
    package var message: String { String(cString: gai_strerror(code)) }
}

/// TCP client sockets: what `socket.create_connection`, `sendall` and `recv` do in CPython,
/// with the waits for the network done in `poll` so a caller can bound them (a socket's
/// timeout is per operation, as Python's is).
extension Syscall {
    /// `getaddrinfo(host, port, SOCK_STREAM)`: every address, in the resolver's order
    /// (`localhost` is usually `::1` then `127.0.0.1`).
    package static func addresses(host: String, port: Int) throws(AddressLookupError) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0 else { throw AddressLookupError(code: status) }
        defer { freeaddrinfo(list) }
        var found: [SocketAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let address = info.ai_addr {
                let bytes = UnsafeRawBufferPointer(start: address, count: Int(info.ai_addrlen))
                found.append(SocketAddress(family: info.ai_family, storage: Array(bytes)))
            }
            entry = info.ai_next
        }
        return found
    }

    /// A non-blocking TCP socket (close-on-exec) for `address`'s family.
    package static func streamSocket(for address: SocketAddress) throws(SystemCallError) -> Int32 {
        try check("socket") {
            socket(
                address.family,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    /// Starts connecting `descriptor` (non-blocking) to `address`: true when connected at once,
    /// false when the connection is under way (`EINPROGRESS`: wait until writable, then
    /// `connectionResult`).
    package static func startConnect(_ descriptor: Int32, to address: SocketAddress) throws(SystemCallError) -> Bool {
        let result = address.storage.withUnsafeBytes { raw in
            Glibc.connect(descriptor, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if result == 0 { return true }
        let error = Errno.current
        if error == Errno(rawValue: EINPROGRESS) || error == .interrupted { return false }
        throw SystemCallError("connect", error)
    }

    /// The outcome of a non-blocking connect once the socket is writable (`SO_ERROR`).
    package static func connectionResult(_ descriptor: Int32) throws(SystemCallError) {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try check("getsockopt") { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) }
        if error != 0 { throw SystemCallError("connect", Errno(rawValue: error)) }
    }

    /// Waits until `descriptor` is readable (or writable): false when `seconds` passed first
    /// (nil waits without bound). Hang-ups and errors count as ready: the next call reports them.
    package static func waitUntilReady(_ descriptor: Int32, writable: Bool = false, seconds: Double?)
        throws(SystemCallError) -> Bool
    {
        let deadline = seconds.map { Clock.monotonic + $0 }
        var entry = pollfd(fd: descriptor, events: Int16(writable ? POLLOUT : POLLIN), revents: 0)
        while true {
            let milliseconds: Int32
            if let deadline {
                let left = deadline - Clock.monotonic
                if left <= 0 { return false }
                milliseconds = Int32(min((left * 1000).rounded(.up), Double(Int32.max)))
            } else {
                milliseconds = -1
            }
            let ready = Glibc.poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0, Errno.current != .interrupted { throw SystemCallError("poll", .current) }
        }
    }

    /// One `send` (no SIGPIPE): the bytes sent, 0 when the socket would block.
    package static func sendSome(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        while true {
            let sent = Glibc.send(descriptor, base, bytes.count, Int32(MSG_NOSIGNAL))
            if sent >= 0 { return sent }
            let error = Errno.current
            if error == .interrupted { continue }
            if error == Errno.wouldBlock { return 0 }
            throw SystemCallError("send", error)
        }
    }

    /// One `recv`: the bytes read (0 at the end of the stream), nil when it would block.
    package static func receiveSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer)
        throws(SystemCallError) -> Int?
    {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = Glibc.recv(descriptor, base, buffer.count, 0)
            if count >= 0 { return count }
            let error = Errno.current
            if error == .interrupted { continue }
            if error == Errno.wouldBlock { return nil }
            throw SystemCallError("recv", error)
        }
    }
}
