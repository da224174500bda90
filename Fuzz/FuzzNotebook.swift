// libFuzzer target for the notebook reader and the canonical writer.
//
// Built as ONE module together with Sources/Notebook/**/*.swift (see scripts/fuzz.sh), so it
// must not `import Notebook`: the reader and writer are right here in this module.
//
// For every input it checks:
//   1. JSON level: whatever jansson accepts, JSONWriter writes back as JSON jansson accepts
//      again, reading the same value, and writing that gives the same bytes.
//   2. Notebook level: whatever decodes as a notebook has canonical bytes that decode to an
//      equal notebook, whose canonical bytes are identical (a fixed point).
//   3. The `nbrun fmt` path: the same after assigning missing cell ids, and a second
//      assignment adds none.
// Error messages are rendered too (as the CLI does), so a crash there is found as well.
// Any disagreement aborts, which libFuzzer reports as a crash and saves the input.

import Glibc

private func fail(_ what: String, _ detail: @autoclosure () -> String = "") -> Never {
    abortFuzzing("FuzzNotebook", what, detail())
}

private func checkJSON(_ bytes: [UInt8]) {
    let value: JSONValue
    do {
        value = try JSONReader.parse(bytes)
    } catch {
        _ = error.description
        return
    }
    let written = JSONWriter.bytes(value)
    let again: JSONValue
    do {
        again = try JSONReader.parse(written)
    } catch {
        fail("JSONWriter wrote JSON that JSONReader refuses: \(error)", show(written))
    }
    guard again == value else { fail("JSON read -> write -> read changed the value", show(written)) }
    let rewritten = JSONWriter.bytes(again)
    guard rewritten == written else {
        fail("JSONWriter is not a fixed point", "first:\n\(show(written))\nsecond:\n\(show(rewritten))")
    }
}

private func checkNotebook(_ bytes: [UInt8]) {
    let first: Notebook
    do {
        first = try NotebookFile.decode(bytes)
    } catch {
        _ = error.description
        return
    }
    _ = first.cells.map { ($0.tags, $0.firstSourceLine, $0.source.utf8.count) }
    roundTrip(first, what: "read")

    var withIDs = first
    let added = withIDs.assignMissingCellIDs()
    if added > 0 || withIDs.usesCellIDs {
        guard withIDs.cells.allSatisfy({ $0.id != nil }) || !withIDs.usesCellIDs else {
            fail("assignMissingCellIDs left a cell without an id")
        }
        let reread = roundTrip(withIDs, what: "read + assignMissingCellIDs")
        var again = reread
        guard again.assignMissingCellIDs() == 0 else { fail("a second assignMissingCellIDs added ids") }
    }
}

/// Writes `notebook` canonically, reads it back and writes again: the notebooks must be
/// equal and the bytes identical. Returns the notebook read back.
@discardableResult
private func roundTrip(_ notebook: Notebook, what: String) -> Notebook {
    let canonical = notebook.canonicalBytes()
    let reread: Notebook
    do {
        reread = try NotebookFile.decode(canonical)
    } catch {
        fail("\(what): canonical bytes do not decode: \(error)", show(canonical))
    }
    guard reread == notebook else { fail("\(what): read -> write -> read gives a different notebook", show(canonical)) }
    let again = reread.canonicalBytes()
    guard again == canonical else {
        fail("\(what): canonical bytes are not a fixed point", "first:\n\(show(canonical))\nsecond:\n\(show(again))")
    }
    return reread
}

/// libFuzzer's entry point: one input, 0 when it held.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotebook(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    checkJSON(bytes)
    checkNotebook(bytes)
    return 0
}
