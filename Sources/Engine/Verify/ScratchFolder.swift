import Foundation

/// A private folder of its own under the temporary directory (`mkdtemp`, as `mktemp -d`),
/// for the driver script and the kernels' notebooks; removed by its owner.
package enum ScratchFolder {
    package static func make(_ prefix: String = "nbrun-verify") throws -> String {
        var template = Array("\(NSTemporaryDirectory().trimmingSuffix("/"))/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        return made
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
