// What both fuzz targets share. Compiled into each target's one-module build.

import Glibc

/// Reports a broken property and aborts, which libFuzzer records as a crash (saving the input).
func abortFuzzing(_ target: String, _ what: String, _ detail: String) -> Never {
    var message = "\(target): \(what)"
    if !detail.isEmpty { message += "\n" + detail }
    fputs(message + "\n", stderr)
    abort()
}

/// The start of some bytes as text, for a failure message.
func show(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(2000), as: UTF8.self)
    return bytes.count > 2000 ? text + "... (\(bytes.count) bytes)" : text
}
