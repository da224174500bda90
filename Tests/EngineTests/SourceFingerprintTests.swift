import PythonRuntime
import XCTest

@testable import Engine

/// Fingerprints normalise a source by its UTF-8 bytes; the scalar-by-scalar version is the
/// reference, and both must agree on every source, whatever its line breaks and whitespace.
final class SourceFingerprintTests: XCTestCase {
    func testNormalisationByBytesEqualsTheScalarReference() {
        // Every line break, ASCII and Unicode whitespace, and characters that share their
        // first UTF-8 byte with a line break (U+00A9, U+2020) or are several bytes long.
        let pieces = [
            "a", "x = 1", "é", "😀", "\u{00A9}", "\u{2020}", "\u{2027}", " ", "\t", "\u{00A0}", "\u{3000}",
            "\u{2009}", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}", "\u{1C}",
        ]
        var generator = SeededGenerator(seed: 23)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 12)
            let source = (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            XCTAssertEqual(
                SourceFingerprint.normalizedLines(source), SourceFingerprint.normalizedLinesByScalars(source),
                source.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
        }
    }

    func testStorageOfTheSourceDoesNotChangeTheFingerprint() {
        let plain = SourceFingerprint(source: "import threading\nprint(1)")
        XCTAssertEqual(SourceFingerprint(source: "import threading  \r\nprint(1)\t\r\n\r\n"), plain)
        XCTAssertEqual(SourceFingerprint(source: "import threading\u{00A0}\u{2028}print(1)\n\n"), plain)
        XCTAssertNotEqual(SourceFingerprint(source: "import threading\nprint(2)"), plain)
    }
}
