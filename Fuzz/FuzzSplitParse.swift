// libFuzzer target, differential: the two-core paths for large notebooks against the
// one-thread ones: the split parse (SplitParse, CellSplitter) against one whole-file jansson
// parse, and the cells written in two halves (canonicalBytes with a large sizeHint) against
// the plain canonical writer.
//
// Built like FuzzNotebook.swift, as ONE module with Sources/Notebook/**/*.swift (it reaches
// the module's internal `SplitParse.parse` and `JSONReader.parseWhole`), and only when
// Sources/Notebook/Internals/SplitParse.swift exists (scripts/fuzz.sh). It calls the split parse
// directly, and passes the writer a size hint at the threshold, so inputs far below 1 MB
// exercise both.
//
// The contract: whenever the split parse returns a value, the whole parse succeeds and
// reads the same value (and the same canonical bytes); when the whole parse fails, the
// split parse must return nil so the caller falls back and reports the error. The two
// writers give identical bytes.

import Glibc

private func fail(_ what: String, _ detail: @autoclosure () -> String = "") -> Never {
    abortFuzzing("FuzzSplitParse", what, detail())
}

/// libFuzzer's entry point: one input, 0 when it held.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSplitParse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard size > 0, let data else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    checkSplitWrite(Array(bytes))
    let split = SplitParse.parse(bytes)
    let whole: JSONValue
    do {
        whole = try JSONReader.parseWhole(bytes)
    } catch {
        if split != nil { fail("the split parse accepted what jansson refuses: \(error)") }
        return 0
    }
    guard let split else { return 0 }  // fell back: always allowed
    guard split == whole else { fail("the split parse read a different value than the whole parse") }
    let splitBytes = JSONWriter.bytes(split), wholeBytes = JSONWriter.bytes(whole)
    guard splitBytes == wholeBytes else {
        fail(
            "the split and whole parses write different bytes",
            String(decoding: splitBytes.prefix(1000), as: UTF8.self) + "\n---\n"
                + String(decoding: wholeBytes.prefix(1000), as: UTF8.self))
    }
    return 0
}

/// The cells written in two halves on two threads give the same bytes as one writer.
private func checkSplitWrite(_ bytes: [UInt8]) {
    guard var notebook = try? NotebookFile.decode(bytes) else { return }
    for pass in 0..<2 {
        let plain = notebook.canonicalBytes()
        let halves = notebook.canonicalBytes(sizeHint: SplitParse.threshold)
        guard halves == plain else {
            fail(
                "canonicalBytes written in two halves differ from one writer (pass \(pass))",
                String(decoding: halves.prefix(1500), as: UTF8.self) + "\n---\n"
                    + String(decoding: plain.prefix(1500), as: UTF8.self))
        }
        notebook.assignMissingCellIDs()  // the second pass: as fmt writes it
    }
}
