// libFuzzer target for a notebook and its comparison rules together (`check`'s and `diff`'s
// comparison: rules, patterns, masks, budgets, the line diff).
//
// Built over Notebook as a module of its own plus Engine's Compare files (see
// scripts/fuzz.sh), so the input is a notebook: its `metadata.nbrun` holds defaults (as
// `nbrun.json`'s `defaults` would), each code cell's `metadata.nbrun` its own rules, which
// the fuzzer mutates along with the outputs they are applied to (the dictionary has the
// rule keys and pattern pieces).
//
// For every code cell whose rules can be used, it checks:
//   1. its outputs match themselves under its rules (masks and tolerance are the same on
//      both sides);
//   2. comparing with the next code cell's outputs gives the same verdict both ways round
//      (lines compared in order);
//   3. a rule error (a bad pattern, a spent budget) is one line;
//   4. every reported difference line is a channel heading or starts with "  -", "  +",
//      "   " or the unordered note.
// All cells share one small pattern budget, as a notebook's do, so each input is bounded.

import Glibc
import Notebook

private func fail(_ what: String, _ detail: @autoclosure () -> String = "") -> Never {
    abortFuzzing("FuzzRules", what, detail())
}

/// A notebook's budget, small so the fuzzer is not slowed by a runaway pattern it found.
private let budgetSeconds = 0.05
/// Lines a channel the cells' pairwise diffs compare.
private let diffLines = 200

extension OutputLines {
    fileprivate func prefix(_ count: Int) -> OutputLines {
        var lines = self
        lines.stdout = Array(stdout.prefix(count))
        lines.stderr = Array(stderr.prefix(count))
        lines.other = Array(other.prefix(count))
        return lines
    }
}

private func checkError(_ error: RuleError) {
    let message = error.description
    guard !message.contains("\n") else { fail("a rule error spans lines", message) }
}

private func checkDifferences(_ comparison: CellComparison) {
    for line in comparison.differences {
        let fine =
            ["stdout:", "stderr:", "other:", "  (lines compared in any order:)"].contains(line)
            || line.hasPrefix("  -") || line.hasPrefix("  +") || line.hasPrefix("   ")
        guard fine else { fail("a malformed difference line", line) }
    }
}

private func checkRules(_ bytes: [UInt8]) {
    guard let notebook = try? NotebookFile.decode(bytes) else { return }
    var defaults = CompareRules()
    if case .object(let object)? = notebook.metadata["nbrun"] {
        do throws(RuleError) { try defaults.apply(object, origin: "defaults") } catch {
            checkError(error)
            return
        }
    }
    let cells = notebook.cells.filter { $0.type == .code }
    let budget = PatternBudget(seconds: budgetSeconds)
    for (index, cell) in cells.enumerated() {
        var rules = defaults
        if case .object(let object)? = cell.metadata["nbrun"] {
            do throws(RuleError) { try rules.apply(object, origin: "metadata.nbrun") } catch {
                checkError(error)
                continue
            }
        }
        let own = OutputLines(cell.outputs ?? [])
        let other = OutputLines(cells[(index + 1) % cells.count].outputs ?? [])
        // The diff's own bound (20 M comparisons) is seconds under ASan and coverage: the
        // pairs compare at most `diffLines` lines a channel (LineDiffTests cover the bound).
        let (left, right) = (own.prefix(diffLines), other.prefix(diffLines))
        do throws(RuleError) {
            let itself = try CellComparison(expected: own, actual: own, rules: rules, budget: budget)
            guard itself.matches else { fail("a cell's outputs differ from themselves", "\(itself.differences)") }
            let forward = try CellComparison(expected: left, actual: right, rules: rules, budget: budget)
            let backward = try CellComparison(expected: right, actual: left, rules: rules, budget: budget)
            // In order, a verdict is symmetric; the multiset match of `unordered` is greedy.
            if case .none = rules.unordered, forward.matches != backward.matches {
                fail("the verdict depends on the order", "\(forward.differences)\n\(backward.differences)")
            }
            checkDifferences(forward)
            checkDifferences(backward)
        } catch {
            checkError(error)
            if budget.remaining <= 0 { return }  // every later cell would stop at once
        }
    }
}

/// libFuzzer's entry point: one input, 0 when it held.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    checkRules(bytes)
    return 0
}
