import Foundation
import Futures
import SystemCalls

/// Python's `urllib`: `urllib.request.urlopen` for plain `http://` URLs over real sockets,
/// and the errors of `urllib.error`, with CPython 3.11's semantics and messages.
public enum urllib {
    /// Python's `urllib.request`: `urlopen`.
    public enum request {}
    /// Python's `urllib.error`: `URLError` and `HTTPError`.
    public enum error {}
}

extension urllib.request {
    /// `urllib.request.urlopen(url, timeout=timeout)`: connects, sends a GET as urllib does
    /// (HTTP/1.1, `Connection: close`), and returns the response once its status line and
    /// headers have arrived. `timeout` bounds each wait on the socket (connect, send, each
    /// receive), as Python's does; nil waits without bound (the default socket timeout).
    ///
    /// - Throws: `urllib.error.HTTPError` for a status outside 200-299 (redirects are not
    ///   followed); `urllib.error.URLError` when no connection is made or the request cannot
    ///   be sent (`<urlopen error [Errno 111] Connection refused>`, `<urlopen error timed out>`);
    ///   `TimeoutError('timed out')` when the reply is slower than `timeout`.
    public static func urlopen(_ url: String, timeout: Double? = nil) throws -> http.client.HTTPResponse {
        let target = try Target(url)
        let stream: SocketStream
        do {
            stream = try SocketStream.connect(host: target.host, port: target.port, timeout: timeout)
            try stream.sendAll(target.request)
        } catch {
            throw urllib.error.URLError(reason: pythonExceptionMessage(of: error), underlying: error)
        }
        let response = try http.client.HTTPResponse.begin(url: url, on: stream)
        guard (200..<300).contains(response.status) else {
            throw urllib.error.HTTPError(url: url, response: response)
        }
        return response
    }

    /// `with urllib.request.urlopen(url, timeout=timeout) as reply:`: `body` gets the
    /// response, which is closed when it returns or throws.
    public static func urlopen<R>(
        _ url: String, timeout: Double? = nil, _ body: (http.client.HTTPResponse) throws -> R
    ) throws -> R {
        let response = try urlopen(url, timeout: timeout)
        defer { response.close() }
        return try body(response)
    }

    /// What urlopen needs of a URL: `http://host[:port][/path][?query]`.
    struct Target {
        let host: String
        let port: Int
        let path: String

        init(_ url: String) throws {
            guard let schemeEnd = url.range(of: "://") else {
                throw builtins.ValueError("unknown url type: \(PyValue.str(url).repr)")
            }
            let scheme = url[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else { throw urllib.error.URLError(reason: "unknown url type: \(scheme)") }
            let rest = url[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            var path = String(rest[authorityEnd...].prefix { $0 != "#" })
            if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
            self.path = path
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = try Target.port(after.hasPrefix(":") ? String(after.dropFirst()) : "")
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = try Target.port(String(authority[authority.index(after: colon)...]))
            } else {
                host = String(authority)
                port = 80
            }
            guard !host.isEmpty else { throw urllib.error.URLError(reason: "no host given") }
        }

        private static func port(_ text: String) throws -> Int {
            if text.isEmpty { return 80 }
            guard let port = Int(text), (0...65535).contains(port) else {
                throw http.client.InvalidURL("nonnumeric port: \(PyValue.str(text).repr)")
            }
            return port
        }

        /// The request as urllib 3.11 writes it (its headers in its order).
        var request: [UInt8] {
            let hostHeader = (host.contains(":") ? "[\(host)]" : host) + (port == 80 ? "" : ":\(port)")
            let text =
                "GET \(path) HTTP/1.1\r\nAccept-Encoding: identity\r\nHost: \(hostHeader)\r\n"
                + "User-Agent: Python-urllib/3.11\r\nConnection: close\r\n\r\n"
            return Array(text.utf8)
        }
    }
}

extension urllib.error {
    /// `urllib.error.URLError`: no connection, or the request could not be sent. `reason`
    /// is `str()` of the error underneath (`[Errno 111] Connection refused`, `timed out`).
    /// (An `OSError`, as in Python: `catch let error as builtins.OSError` catches it.)
    public class URLError: builtins.OSError, @unchecked Sendable {
        /// `e.reason`, as `str(e.reason)` prints it.
        public let reason: String
        /// The error underneath (`e.reason` as an exception), when there is one.
        public let underlying: (any Error)?

        init(reason: String, underlying: (any Error)? = nil) {
            self.reason = reason
            self.underlying = underlying
            super.init(reason)
        }

        /// `str(e)`: `<urlopen error REASON>`.
        public override var pythonMessage: String { "<urlopen error \(reason)>" }
    }

    /// `urllib.error.HTTPError`: the server answered with a status outside 200-299. It is also
    /// the response: `read()` gives the error page's body.
    public final class HTTPError: URLError, @unchecked Sendable {
        // Sendable: its fields are lets; the response is read by one thread, as in Python.
        /// `e.code`, e.g. 404.
        public let code: Int
        /// `e.headers`.
        public let headers: http.client.HTTPMessage
        /// `e.url`.
        public let url: String
        private let response: http.client.HTTPResponse

        init(url: String, response: http.client.HTTPResponse) {
            self.url = url
            code = response.status
            headers = response.headers
            self.response = response
            super.init(reason: response.reason)
        }

        /// `e.status`, the same as `code`.
        public var status: Int { code }
        /// `e.read()`: the body the server sent with the error.
        public func read() throws -> [UInt8] { try response.read() }

        /// `str(e)`: `HTTP Error 404: Not Found`.
        public override var pythonMessage: String { "HTTP Error \(code): \(reason)" }
    }
}

/// `socket.gaierror`, as `str()` shows it: `[Errno -2] Name or service not known`.
extension AddressLookupError: PythonNamedError {
    package var pythonName: String { "gaierror" }
    package var pythonMessage: String { "[Errno \(code)] \(message)" }
}
