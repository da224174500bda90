// The web server of the course's 07-io notebook, as `fixtures/io-server.py` describes it for
// the CPython reference run: http://127.0.0.1:8765 (or `--port N`).
//
//   GET /page/N  -> after 0.1 s, JSON {"page": N, "words": 100 + 7 * N}   (N in 1...50, else 404)
//   GET /slow    -> after 2 s, JSON {"slow": true}
//   else         -> 404 with the body "no such page"
//
// nbrun starts it for the notebooks that need it (`Catalog.services`) and stops it at the end
// of the run. Each request waits on its own task, so twelve pages at once take 0.1 s.
import FlyingFox
import Foundation

struct CourseHandler: HTTPHandler {
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if request.method == .GET, parts.count == 2, parts[0] == "page",
            parts[1].allSatisfy(\.isASCII), let page = Int(parts[1]), (1...50).contains(page)
        {
            try await Task.sleep(nanoseconds: 100_000_000)
            return json(#"{"page": \#(page), "words": \#(100 + 7 * page)}"#)
        }
        if request.method == .GET, parts == ["slow"] {
            try await Task.sleep(nanoseconds: 2_000_000_000)
            return json(#"{"slow": true}"#)
        }
        return HTTPResponse(
            statusCode: .notFound, headers: [.contentType: "text/plain"], body: Data("no such page".utf8))
    }

    private func json(_ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data(text.utf8))
    }
}

/// `--port N` (default 8765) and `--host ADDRESS` (default 127.0.0.1).
func option(_ name: String, default value: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

let host = option("--host", default: "127.0.0.1")
guard let port = UInt16(option("--port", default: "8765")) else {
    try? FileHandle.standardError.write(contentsOf: Data("io-server: --port takes a number from 1 to 65535\n".utf8))
    exit(2)
}
do {
    let server = HTTPServer(address: try .inet(ip4: host, port: port), logger: .disabled, handler: CourseHandler())
    try await server.run()
} catch {
    try? FileHandle.standardError.write(contentsOf: Data("io-server: \(host):\(port): \(error)\n".utf8))
    exit(1)
}
