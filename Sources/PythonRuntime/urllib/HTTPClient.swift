import Foundation
import Futures
import SystemCalls

/// Python's `http.client`, as far as `urllib.request.urlopen` returns it.
public enum http {
    /// Python's `http.client`: the response `urlopen` returns and its headers.
    public enum client {}
}

extension http.client {
    /// `http.client.HTTPMessage`: a response's headers, in the order received; names are
    /// matched without regard to case (`reply.headers['content-type']`).
    public struct HTTPMessage: Sendable, Equatable {
        /// `headers.items()`: (name, value) as the server wrote them.
        public let items: [(name: String, value: String)]

        init(_ items: [(name: String, value: String)]) {
            self.items = items
        }

        /// `headers[name]`: the first value of `name`, nil when absent.
        public subscript(name: String) -> String? {
            self.get(name)
        }

        /// `headers.get(name)`.
        public func get(_ name: String) -> String? {
            let wanted = name.lowercased()
            return items.first { $0.name.lowercased() == wanted }?.value
        }

        /// The same headers, in the same order.
        public static func == (lhs: HTTPMessage, rhs: HTTPMessage) -> Bool {
            lhs.items.map(\.name) == rhs.items.map(\.name) && lhs.items.map(\.value) == rhs.items.map(\.value)
        }
    }

    /// `http.client.HTTPResponse`, what `urlopen` returns: the status line and headers have
    /// been read; the body is read by `read()`, on the same socket with the same timeout
    /// (a body slower than the timeout raises `TimeoutError` there).
    public final class HTTPResponse: @unchecked Sendable {
        // @unchecked: read by the thread that opened it, as a Python response is.
        /// `reply.status`, e.g. 200.
        public let status: Int
        /// `reply.reason`, e.g. `OK`.
        public let reason: String
        /// `reply.headers`.
        public let headers: HTTPMessage
        /// `reply.url`.
        public let url: String
        private let stream: SocketStream
        private var bodyLeft: Int?
        private let chunked: Bool
        private var closed = false

        init(url: String, status: Int, reason: String, headers: HTTPMessage, stream: SocketStream) {
            self.url = url
            self.status = status
            self.reason = reason
            self.headers = headers
            self.stream = stream
            chunked = headers["Transfer-Encoding"]?.lowercased().contains("chunked") ?? false
            bodyLeft = headers["Content-Length"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }

        /// `reply.getcode()`.
        public func getcode() -> Int { status }

        /// `reply.read()`: the rest of the body (`b''` once read or closed).
        public func read() throws -> [UInt8] {
            guard !closed else { return [] }
            defer { close() }
            if chunked { return try readChunks() }
            guard let expected = bodyLeft else { return try stream.readToEnd() }
            let body = try stream.read(count: expected)
            guard body.count == expected else {
                throw http.client.IncompleteRead(
                    "IncompleteRead(\(body.count) bytes read, \(expected - body.count) more expected)"
                )
            }
            return body
        }

        /// `reply.close()`; also what leaving `with urlopen(...) as reply:` does.
        public func close() {
            closed = true
            stream.close()
        }

        private func readChunks() throws -> [UInt8] {
            var body: [UInt8] = []
            while let line = try stream.readLine() {
                let size = String(decoding: line, as: UTF8.self).split(separator: ";").first ?? ""
                guard let count = Int(size.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw http.client.IncompleteRead("IncompleteRead(\(body.count) bytes read)")
                }
                if count == 0 { break }
                body += try stream.read(count: count)
                _ = try stream.readLine()
            }
            return body
        }

        /// Reads the status line and headers of the response on `stream` (CPython's
        /// `HTTPResponse.begin`): a stream that ends first is `RemoteDisconnected`.
        static func begin(url: String, on stream: SocketStream) throws -> HTTPResponse {
            guard let statusLine = try stream.readLine() else {
                throw http.client.RemoteDisconnected("Remote end closed connection without response")
            }
            let text = String(decoding: statusLine, as: UTF8.self)
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]),
                (100...999).contains(status)
            else {
                throw http.client.BadStatusLine(PyValue.str(text).repr)
            }
            let reason = parts.count > 2 ? parts[2].trimmingCharacters(in: .whitespaces) : ""
            var headers: [(name: String, value: String)] = []
            while let line = try stream.readLine(), !line.isEmpty {
                let header = String(decoding: line, as: UTF8.self)
                guard let colon = header.firstIndex(of: ":") else { continue }
                headers.append(
                    (
                        String(header[..<colon]),
                        header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    ))
            }
            return HTTPResponse(url: url, status: status, reason: reason, headers: HTTPMessage(headers), stream: stream)
        }
    }
}
