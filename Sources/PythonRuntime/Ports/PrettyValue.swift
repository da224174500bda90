/// IPython's `IPython.lib.pretty`, the printer its displayhook formats a cell's value with
/// (`text/plain` of `Out[n]`). Within 79 columns it writes what `repr` writes; a wider list,
/// tuple or dict is broken across lines, each element on its own line, indented under its
/// opening bracket. A port of `PrettyPrinter` (its group queue and the quirks of its `deq`
/// and `flush` included), and of the printers for the types a `PyValue` holds.
final class PrettyPrinter {
    private final class Group {
        let depth: Int
        var breakables: [Breakable] = []
        var wantBreak = false

        init(depth: Int) { self.depth = depth }
    }

    private final class Breakable {
        let separator: String
        let indentation: Int
        let group: Group

        init(separator: String, indentation: Int, group: Group) {
            self.separator = separator
            self.indentation = indentation
            self.group = group
        }
    }

    private final class Text {
        var pieces: [String] = []
        var width = 0
    }

    private enum Item {
        case text(Text)
        case breakable(Breakable)

        var width: Int {
            switch self {
            case .text(let text): text.width
            case .breakable(let breakable): breakable.separator.unicodeScalars.count
            }
        }
    }

    /// IPython's `max_width` and `MAX_SEQ_LENGTH`.
    static let maxWidth = 79
    static let maxSequenceLength = 1000

    private var output = ""
    private var outputWidth = 0
    private var bufferWidth = 0
    private var buffer: [Item] = []
    private var groupStack: [Group]
    private var queue: [[Group]] = []
    private var indentation = 0

    private init() {
        let root = Group(depth: 0)
        groupStack = [root]
        enqueue(root)
    }

    /// `IPython.lib.pretty.pretty(value)`.
    static func format(_ value: PyValue) -> String {
        let printer = PrettyPrinter()
        printer.pretty(value)
        printer.flush()
        return printer.output
    }

    // MARK: The printers of the value types (`_type_pprinters`)

    private func pretty(_ value: PyValue) {
        beginGroup()
        switch value {
        case .list(let items): sequence(items, open: "[", close: "]", isTuple: false)
        case .tuple(let items): sequence(items, open: "(", close: ")", isTuple: true)
        case .dict(let entries):
            beginGroup(indent: 1, open: "{")
            separated(PyValue.merged(entries)) { entry in
                pretty(entry.key)
                text(": ")
                pretty(entry.value)
            }
            endGroup(dedent: 1, close: "}")
        case .set(let items) where !items.isEmpty: set(items, open: "{", close: "}")
        case .frozenset(let items) where !items.isEmpty: set(items, open: "frozenset({", close: "})")
        default:
            // `_repr_pprint`: a scalar's repr has no newline.
            beginGroup()
            text(value.repr)
            endGroup()
        }
        endGroup()
    }

    /// Each of `items` printed by `each`, separated by `,` and a breakable space, cut off
    /// with `...` after `maxSequenceLength` items, as IPython's sequence and dict printers do.
    private func separated<Item>(_ items: [Item], _ each: (Item) -> Void) {
        for (index, item) in items.enumerated() {
            if index >= Self.maxSequenceLength {
                ellipsis()
                break
            }
            if index > 0 {
                text(",")
                breakable()
            }
            each(item)
        }
    }

    private func sequence(_ items: [PyValue], open: String, close: String, isTuple: Bool) {
        beginGroup(indent: 1, open: open)
        separated(items) { pretty($0) }
        if isTuple && items.count == 1 { text(",") }
        endGroup(dedent: 1, close: close)
    }

    /// `_set_pprinter_factory`: sorted as `_sorted_for_pprint` sorts, unless too many to sort.
    private func set(_ items: [PyValue], open: String, close: String) {
        let distinct = PyValue.distinct(items)
        let step = open.unicodeScalars.count
        beginGroup(indent: step, open: open)
        separated(distinct.count >= Self.maxSequenceLength ? distinct : PyValue.sortedForPrint(distinct)) {
            pretty($0)
        }
        endGroup(dedent: step, close: close)
    }

    private func ellipsis() {
        text(",")
        breakable()
        text("...")
    }

    // MARK: PrettyPrinter

    private func text(_ piece: String) {
        let width = piece.unicodeScalars.count
        guard !buffer.isEmpty else {
            output += piece
            outputWidth += width
            return
        }
        let chunk: Text
        if case .text(let last)? = buffer.last {
            chunk = last
        } else {
            chunk = Text()
            buffer.append(.text(chunk))
        }
        chunk.pieces.append(piece)
        chunk.width += width
        bufferWidth += width
        breakOuterGroups()
    }

    private func breakable(_ separator: String = " ") {
        let group = groupStack[groupStack.count - 1]
        if group.wantBreak {
            flush()
            output += "\n" + String(repeating: " ", count: indentation)
            outputWidth = indentation
            bufferWidth = 0
        } else {
            let item = Breakable(separator: separator, indentation: indentation, group: group)
            group.breakables.append(item)
            buffer.append(.breakable(item))
            bufferWidth += separator.unicodeScalars.count
            breakOuterGroups()
        }
    }

    private func beginGroup(indent: Int = 0, open: String = "") {
        if !open.isEmpty { text(open) }
        let group = Group(depth: groupStack[groupStack.count - 1].depth + 1)
        groupStack.append(group)
        enqueue(group)
        indentation += indent
    }

    private func endGroup(dedent: Int = 0, close: String = "") {
        indentation -= dedent
        let group = groupStack.removeLast()
        if group.breakables.isEmpty { remove(group) }
        if !close.isEmpty { text(close) }
    }

    private func flush() {
        for item in buffer {
            outputWidth += write(item)  // IPython adds the new width to the old one here
        }
        buffer.removeAll()
        bufferWidth = 0
    }

    private func breakOuterGroups() {
        while Self.maxWidth < outputWidth + bufferWidth {
            guard let group = dequeue() else { return }
            breakOne(group)
        }
    }

    private func breakOne(_ group: Group) {
        while !group.breakables.isEmpty {
            let item = buffer.removeFirst()
            outputWidth = write(item)
            bufferWidth -= item.width
        }
        while case .text? = buffer.first {
            let item = buffer.removeFirst()
            outputWidth = write(item)
            bufferWidth -= item.width
        }
    }

    /// `Printable.output`: writes the item, returns the width of the line after it.
    private func write(_ item: Item) -> Int {
        switch item {
        case .text(let text):
            output += text.pieces.joined()
            return outputWidth + text.width
        case .breakable(let breakable):
            let group = breakable.group
            group.breakables.removeFirst()
            if group.wantBreak {
                output += "\n" + String(repeating: " ", count: breakable.indentation)
                return breakable.indentation
            }
            if group.breakables.isEmpty { remove(group) }
            output += breakable.separator
            return outputWidth + item.width
        }
    }

    // MARK: GroupQueue

    private func enqueue(_ group: Group) {
        while group.depth > queue.count - 1 { queue.append([]) }
        queue[group.depth].append(group)
    }

    /// `GroupQueue.deq`, including its quirk: it finds the last group of a depth that has
    /// breakables but deletes the one at the same position counted from the front.
    private func dequeue() -> Group? {
        for depth in queue.indices {
            for (index, group) in queue[depth].reversed().enumerated() where !group.breakables.isEmpty {
                queue[depth].remove(at: index)
                group.wantBreak = true
                return group
            }
            for group in queue[depth] { group.wantBreak = true }
            queue[depth].removeAll()
        }
        return nil
    }

    private func remove(_ group: Group) {
        guard queue.indices.contains(group.depth),
            let index = queue[group.depth].firstIndex(where: { $0 === group })
        else { return }
        queue[group.depth].remove(at: index)
    }
}

extension PyValue {
    /// How IPython shows the value as `Out[n]` (`text/plain`): `repr` within 79 columns,
    /// broken across lines by `IPython.lib.pretty` beyond.
    public var pretty: String { PrettyPrinter.format(self) }
}
