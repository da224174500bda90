#!/usr/bin/env python3
"""Writes Tests/NotebookTests/Corpus/hostile/: valid notebooks that carry what a hostile pull
request can bring besides malformed JSON (issue 33): rules whose patterns backtrack, refer
back or match empty text, timings that cannot be true, a repeated cell id, long outputs, and
outputs that try to pass for GitHub workflow commands. They seed the fuzzers (scripts/fuzz.sh;
the `rules` target reads a notebook's `metadata.nbrun` as defaults and each cell's as its
rules) and every read-only verb runs on them (HostileInputTests). Small enough for the
fuzzer's 16 KB inputs. Standard library only."""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/NotebookTests/Corpus/hostile"


def cell(cell_id, text, rules=None, execution=None, tags=("no-run",)):
    metadata = {"tags": list(tags)}
    if rules is not None:
        metadata["nbrun"] = rules
    if execution is not None:
        metadata["execution"] = execution
    return {
        "cell_type": "code", "execution_count": 1, "id": cell_id, "metadata": metadata,
        "outputs": [{"name": "stdout", "output_type": "stream", "text": text}],
        "source": "print('...')",
    }


def notebook(cells, rules=None):
    metadata = {} if rules is None else {"nbrun": rules}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def lines(items):
    return "".join(item + "\n" for item in items)


NOTEBOOKS = {
    # The reply recorded a day before the input: admission waited a day for the cell.
    "day-early-timing": notebook([
        cell("early", "done\n", execution={
            "iopub.execute_input": "2026-11-26T10:11:40.977087Z", "iopub.status.busy": "2026-11-26T10:11:40.977087Z",
            "iopub.status.idle": "2026-11-26T10:11:41.477583Z", "shell.execute_reply": "2026-11-25T10:11:41.477575Z"}),
        cell("absurd", "done\n", execution={
            "iopub.execute_input": "0001-01-01T00:00:00.000000Z", "shell.execute_reply": "9999-12-31T23:59:59.999999Z"}),
    ]),
    # Just under the per-line budget on each line: only the notebook's budget stops it.
    "runaway-mask-many-lines": notebook([cell("xs", lines(["x" * 21] * 40), rules={"mask": "(x+x+)+y"})]),
    # ICU reports no progress while it compares a back-reference: refused.
    "back-reference": notebook([cell("backref", "a" * 3000 + "\n", rules={"mask": "^(a+)\\1b"})]),
    # Each inserts <masked> at every place: ninefold per mask.
    "zero-width-masks": notebook([cell("empty", "y" * 2000 + "\n", rules={"mask": ["(?=)"] * 4})]),
    "unordered-runaway": notebook([cell("u", lines(["a" * 24] * 4), rules={"unordered": ["(a|aa)+b", "(a+)+b"]})]),
    # A pasted cell repeats its id.
    "repeated-cell-id": notebook([cell("same", "1\n"), cell("other", "2\n"), cell("same", "3\n")]),
    # Long outputs one line apart (a quadratic diff took minutes on 10,000 lines).
    "long-output-one-changed": notebook([
        cell("before", lines(f"line {i}" for i in range(600))),
        cell("after", lines(f"line {i}" if i != 300 else "changed" for i in range(600))),
    ]),
    # A carriage return and leading :: would be read as workflow commands by a runner.
    "cr-annotation-spoof": notebook([
        cell("spoof", "x\r::error file=README.md,line=1::forged\n::warning::forged\n  ::notice::forged\n"),
        cell("plain", "y\n::warning::forged\n"),
    ]),
    # Rules of the wrong shape: each must be an error naming the key.
    "malformed-rules": notebook(
        [cell("defaults", "1\n", rules={"defaults": 5, "demos": []}),
         cell("tolerance", "0.5\n", rules={"tolerance": {"relative": "x"}}),
         cell("mask-number", "1\n", rules={"mask": 5}),
         cell("timeout", "1\n", rules={"timeout": -1, "skip": "yes"})],
        rules={"tolerance": {"relative": 0.25, "absolute": 0.05}, "unordered": "^T\\d"}),
    "tolerance-and-unordered": notebook([
        cell("t1", "T1 took 0.50 s\nT2 took 0.52 s\ncount 400000\n", rules={"unordered": True}),
        cell("t2", "T2 took 0.55 s\nT1 took 0.49 s\ncount 400000\n", rules={"unordered": "^T\\d", "mask": ["count (\\d+)"]}),
    ]),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in NOTEBOOKS.items():
        (OUT / f"{name}.ipynb").write_text(json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
