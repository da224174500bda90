/// Where each cell's `"source"` key is in a notebook file, so a CI annotation can point at
/// the cell in a pull request's diff. Works on any JSON layout, not just nbformat's indent 1.
package enum CellSourceLines {
    private struct Container {
        let isObject: Bool
        /// The key this container is the value of (empty in arrays and at the top).
        let key: [UInt8]
        var expectingKey: Bool
        var lastKey: [UInt8] = []
    }

    /// 1-based line of each cell's `"source"` key, by cell index (a cell without one gets
    /// the line its object opens on); empty when the bytes hold no `cells` array.
    package static func lines(in bytes: [UInt8]) -> [Int] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        let cellsKey = Array("cells".utf8), sourceKey = Array("source".utf8)
        var stack: [Container] = []
        var lines: [Int] = []
        var line = 1
        var index = 0
        // Inside the top object's `cells` array, at a cell object.
        func inCell() -> Bool {
            stack.count == 3 && stack[0].isObject && !stack[1].isObject && stack[1].key == cellsKey && stack[2].isObject
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case newline:
                line += 1
            case quote:
                let startLine = line
                var end = index + 1
                while end < bytes.count, bytes[end] != quote {
                    if bytes[end] == backslash { end += 1 } else if bytes[end] == newline { line += 1 }
                    end += 1
                }
                if let top = stack.last, top.isObject, top.expectingKey {
                    let key = Array(bytes[(index + 1)..<min(end, bytes.count)])
                    stack[stack.count - 1].lastKey = key
                    stack[stack.count - 1].expectingKey = false
                    if inCell(), key == sourceKey, !lines.isEmpty { lines[lines.count - 1] = startLine }
                }
                index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let key = stack.last.map { $0.isObject ? $0.lastKey : [] } ?? []
                stack.append(Container(isObject: byte == UInt8(ascii: "{"), key: key, expectingKey: true))
                if inCell() { lines.append(line) }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if let top = stack.last, top.isObject { stack[stack.count - 1].expectingKey = true }
            default:
                break
            }
            index += 1
        }
        return lines
    }
}
