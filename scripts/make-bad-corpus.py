#!/usr/bin/env python3
"""Writes Tests/NotebookTests/Corpus/bad/: one malformed notebook per class of error,
plus bad/README.md listing each file, the NotebookError nbrun should report and what
the real nbformat does with it.

Usage:
    make-bad-corpus.py              (re)write bad/*.ipynb and bad/README.md
    make-bad-corpus.py --check      exit 1 if any file differs from what would be written
    make-bad-corpus.py --probe      also show, live, what nbformat (if importable) does
                                    with each file: read, then write

Needs only the standard library (nbformat only for --probe). Output is deterministic.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Tests" / "NotebookTests" / "Corpus"


def nb(cells=None, minor=4, metadata=None, **extra) -> dict:
    """A minimal v4 notebook dict."""
    d = {"cells": cells if cells is not None else [], "metadata": metadata or {},
         "nbformat": 4, "nbformat_minor": minor}
    d.update(extra)
    return d


def code(source="x = 1\n", outputs=None, **extra) -> dict:
    c = {"cell_type": "code", "execution_count": None, "metadata": {},
         "outputs": outputs if outputs is not None else [], "source": source}
    c.update(extra)
    return c


def dump(d) -> bytes:
    """nbformat's layout (indent 1, sorted keys), UTF-8, trailing newline."""
    return (json.dumps(d, indent=1, sort_keys=True, separators=(",", ": "),
                       ensure_ascii=False) + "\n").encode("utf-8")


def valid_notebook() -> bytes:
    """A realistic, valid notebook: the course reference from the round-trip corpus."""
    return (CORPUS / "roundtrip" / "course-reference.ipynb").read_bytes()


def truncated() -> bytes:
    data = valid_notebook()
    # Cut inside a JSON string a little after 60% of the file: 12 bytes into the next line
    # that opens a list item string, stepping past escapes and UTF-8 continuation bytes so
    # the only fault is the early end.
    start = data.index(b'\n    "', int(len(data) * 0.6)) + len(b'\n    "')
    cut = start + 12
    while data[cut - 1:cut] in (b'"', b"\\") or (data[cut] & 0xC0) == 0x80:
        cut += 1
    return data[:cut]


def deep_nesting() -> bytes:
    depth = 5000
    inner = '{"a": ' * depth + "0" + "}" * depth
    return ('{"cells": [], "metadata": {"deep": ' + inner + '}, "nbformat": 4, "nbformat_minor": 4}\n').encode()


def nbformat3() -> bytes:
    v3 = {
        "metadata": {"name": "", "signature": "sha256:5b0f9d8a0f4d2b1bd06d0f8d7bfe0c6bbf9c8e0aa1c5a5f3f2d4c7a1b6e8d9c0"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [{
            "cells": [
                {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["An IPython 2 notebook"]},
                {"cell_type": "markdown", "metadata": {}, "source": ["Written by IPython 2.x (nbformat 3): cells live in `worksheets`."]},
                {"cell_type": "code", "collapsed": False, "input": ["import math\n", "math.pi"],
                 "language": "python", "metadata": {},
                 "outputs": [{"metadata": {}, "output_type": "pyout", "prompt_number": 1,
                              "text": ["3.141592653589793"]}],
                 "prompt_number": 1},
                {"cell_type": "code", "collapsed": False, "input": ["print('hello')"],
                 "language": "python", "metadata": {},
                 "outputs": [{"output_type": "stream", "stream": "stdout", "text": ["hello\n"]}],
                 "prompt_number": 2},
                {"cell_type": "code", "collapsed": False, "input": ["1/0"], "language": "python",
                 "metadata": {},
                 "outputs": [{"ename": "ZeroDivisionError", "evalue": "integer division or modulo by zero",
                              "output_type": "pyerr",
                              "traceback": ["\u001b[0;31mZeroDivisionError\u001b[0m: integer division or modulo by zero"]}],
                 "prompt_number": 3},
            ],
            "metadata": {},
        }],
    }
    return dump(v3)


# name -> (bytes, what it is, error nbrun should report, what nbformat 5.11 does)
# The nbformat column was observed with nbformat 5.11.1 / CPython 3.11 (see --probe).
def cases() -> list[tuple[str, bytes, str, str, str]]:
    valid = valid_notebook()
    return [
        ("not-json.ipynb",
         b"# %%\nprint('a Python script saved with the wrong extension')\n",
         "text that is not JSON at all",
         "invalidJSON(syntax)",
         "read raises NotJSONError (a ValueError)"),
        ("empty.ipynb", b"",
         "0 bytes",
         "empty",
         "read raises NotJSONError"),
        ("whitespace-only.ipynb", b" \n\t\r\n  \n",
         "only JSON whitespace",
         "empty",
         "read raises NotJSONError"),
        ("truncated.ipynb", truncated(),
         "the course reference notebook cut after 60%, inside a source string",
         "invalidJSON(truncated)",
         "read raises NotJSONError"),
        ("trailing-garbage.ipynb", valid + b"}\n<<<<<<< HEAD\n",
         "a valid notebook followed by more text",
         "invalidJSON(trailingData)",
         "read raises NotJSONError (\"Extra data\")"),
        ("invalid-utf8.ipynb",
         dump(nb([code("x = 'PLACEHOLDER'\n")])).replace(b"PLACEHOLDER", b"caf\xff"),
         "a raw 0xff byte inside a source string",
         "invalidJSON(invalidUTF8)",
         "read raises UnicodeDecodeError (a ValueError, not wrapped: the file is opened as utf8)"),
        ("bom.ipynb", b"\xef\xbb\xbf" + dump(nb([code()])),
         "a valid notebook preceded by a UTF-8 byte-order mark",
         "invalidJSON(syntax)",
         "read raises NotJSONError (\"Unexpected UTF-8 BOM\"; the file is opened as utf8, not utf-8-sig)"),
        ("deep-nesting.ipynb", deep_nesting(),
         "notebook metadata holding objects nested 5000 deep",
         "invalidJSON(tooDeep)",
         "read raises RecursionError (not a ValueError, so not wrapped as NotJSONError)"),
        ("huge-integer.ipynb",
         dump(nb([code("1\n", execution_count=None)])).replace(
             b'"execution_count": null', b'"execution_count": 123456789012345678901234567890'),
         "an execution_count of 123456789012345678901234567890 (beyond 64 bits)",
         "invalidJSON(integerTooLarge)",
         "ACCEPTED: valid (Python ints are unbounded); writes it back unchanged"),
        ("real-overflow.ipynb",
         dump(nb(metadata={"x": 0.5})).replace(b'"x": 0.5', b'"x": 1e400'),
         "a real, 1e400, beyond the double range",
         "invalidJSON(numberTooLarge)",
         "ACCEPTED: parses as inf and writes `Infinity`, which is not JSON"),
        ("nan-literal.ipynb",
         dump(nb(metadata={"x": 0.5})).replace(b'"x": 0.5', b'"x": NaN'),
         "the non-JSON literal NaN in metadata",
         "invalidJSON(syntax)",
         "ACCEPTED: Python's json takes NaN/Infinity/-Infinity and writes them back"),
        ("nul-in-key.ipynb",
         dump(nb(metadata={"a\u0000b": 1, "a": 2})),
         "an object key holding \\u0000",
         "invalidJSON(nulInKey)",
         "ACCEPTED: valid; the key sorts after \"a\" and is written as \"a\\u0000b\""),
        ("lone-surrogate.ipynb",
         dump(nb([code("s = 'PLACEHOLDER'\n")])).replace(b"PLACEHOLDER", b"\\ud800"),
         "a \\ud800 escape with no low surrogate after it",
         "invalidJSON(syntax)",
         "read ACCEPTS it (str with a lone surrogate); writes() returns it, but write() to a file "
         "raises UnicodeEncodeError"),
        ("top-level-array.ipynb", dump([nb([code()])]),
         "a JSON array holding a notebook",
         "unsupportedFormat (the JSON is not an object)",
         "read raises AttributeError ('list' object has no attribute 'get'; not wrapped)"),
        ("nbformat-3.ipynb", nbformat3(),
         "a realistic IPython 2 notebook: nbformat 3, worksheets, pyout/pyerr, prompt_number",
         "unsupportedFormat (nbformat 3; suggest upgrading with jupyter nbconvert --to notebook)",
         "ACCEPTED: read (NO_CONVERT) gives a v3 notebook and write writes v3; as_version=4 would convert it"),
        ("nbformat-5.ipynb", dump({**nb([code()]), "nbformat": 5, "nbformat_minor": 0}),
         "a future major version",
         "unsupportedFormat (nbformat 5)",
         "read raises NBFormatError: Unsupported nbformat version 5"),
        ("nbformat-missing.ipynb",
         dump({"cells": [code()], "metadata": {}, "nbformat_minor": 4}),
         "a v4-shaped notebook without the nbformat key",
         "unsupportedFormat (no nbformat key)",
         "ACCEPTED as nbformat 1 (get_version defaults a missing major to 1); logs \"No schema for validating v1.4 notebooks\"; writes it back"),
        ("nbformat-string.ipynb", dump({**nb([code()]), "nbformat": "4"}),
         "\"nbformat\": \"4\", a string",
         "unsupportedFormat (nbformat is not an integer)",
         "read raises NBFormatError: Unsupported nbformat version 4 (the string)"),
        ("cells-missing.ipynb", dump({"metadata": {}, "nbformat": 4, "nbformat_minor": 4}),
         "a v4 notebook without cells",
         "invalidNotebook(location: \"cells\")",
         "read raises ValidationError: missing an expected key: 'cells'"),
        ("cells-not-array.ipynb", dump({**nb(), "cells": {"0": code()}}),
         "cells is an object",
         "invalidNotebook(location: \"cells\")",
         "read raises ValidationError (\"missing an expected key\": an AttributeError from iterating the object's keys as cells, re-raised)"),
        ("cell-not-object.ipynb", dump(nb([code(), "print('a cell that is a string')\n", 42])),
         "cells[1] is a string (and cells[2] a number)",
         "invalidNotebook(location: \"cells[1]\")",
         "read raises ValidationError (\"missing an expected key\": 'str' object has no attribute 'get', re-raised)"),
        ("metadata-not-object.ipynb", dump({**nb([code()]), "metadata": []}),
         "notebook metadata is an array",
         "invalidNotebook(location: \"metadata\")",
         "read raises TypeError (strip_transient calls list.pop with two arguments)"),
        ("unknown-cell-type.ipynb",
         dump(nb([code(), {"cell_type": "sql", "metadata": {}, "source": "SELECT 1;\n"}])),
         "cells[1] has cell_type \"sql\" in a 4.4 notebook (a newer minor may add types: roundtrip/future-minor)",
         "invalidNotebook(location: \"cells[1]\")",
         "ACCEPTED with a logged validation error (its schema admits unknown cell types only in a newer minor); round-trips"),
        ("future-minor-cell-without-type.ipynb",
         dump(nb([code(), {"metadata": {}, "source": "x\n"}], minor=99)),
         "a 4.99 notebook whose cells[1] has no cell_type",
         "invalidNotebook(location: \"cells[1]\")",
         "read ACCEPTS it with a logged validation error; write raises AttributeError ('cell_type')"),
        ("future-minor-source-not-text.ipynb",
         dump(nb([code(), {"cell_type": "future cell", "metadata": {}, "source": 42}], minor=99)),
         "a 4.99 notebook's cell of an unknown type whose source is the number 42",
         "invalidNotebook(location: \"cells[1].source\")",
         "ACCEPTED (the schema's unrecognized_cell leaves source unchecked); writes \"source\": 42 back"),
        ("source-wrong-type.ipynb", dump(nb([code(42)])),
         "a code cell whose source is the number 42",
         "invalidNotebook(location: \"cells[0].source\")",
         "ACCEPTED with a logged validation error; writes \"source\": 42 back"),
        ("source-list-with-number.ipynb", dump(nb([code(["x = 1\n", 2, "\n"])])),
         "a source list holding a number",
         "invalidNotebook(location: \"cells[0].source\")",
         "read raises TypeError in rejoin_lines (''.join of a list with an int)"),
        ("code-cell-without-outputs.ipynb",
         dump(nb([{"cell_type": "code", "execution_count": None, "metadata": {}, "source": "x\n"}])),
         "a code cell with no outputs key",
         "invalidNotebook(location: \"cells[0]\")  (or nbrun may default outputs to [])",
         "read ACCEPTS it with a logged validation error; write raises AttributeError ('outputs')"),
        ("outputs-not-array.ipynb",
         dump(nb([code("print(1)\n", outputs={"output_type": "stream", "name": "stdout", "text": "1\n"})])),
         "a code cell whose outputs is one output object instead of a list",
         "invalidNotebook(location: \"cells[0].outputs\")",
         "read raises ValidationError (\"missing an expected key\": an AttributeError from iterating the object's keys as outputs, re-raised)"),
        ("output-without-output-type.ipynb",
         dump(nb([code("print(1)\n", outputs=[{"name": "stdout", "text": "1\n"}])])),
         "an output with no output_type",
         "invalidNotebook(location: \"cells[0].outputs[0]\")",
         "read ACCEPTS it with a logged validation error; write raises AttributeError ('output_type')"),
        ("unknown-output-type.ipynb",
         dump(nb([code("1\n", outputs=[{"output_type": "pyout", "text": ["1"], "metadata": {}}])])),
         "an output of v3's type pyout in a 4.4 notebook (a newer minor may add types: roundtrip/future-minor)",
         "invalidNotebook(location: \"cells[0].outputs[0]\")",
         "ACCEPTED with a logged validation error (unknown output types are valid only in a newer minor); its text list is joined on read and NOT split on write"),
        ("stream-text-list-with-number.ipynb",
         dump(nb([code("print(1)\n", outputs=[{"output_type": "stream", "name": "stdout", "text": ["1\n", 2]}])])),
         "a stream output whose text list holds a number",
         "invalidNotebook(location: \"cells[0].outputs[0].text\")",
         "read raises TypeError in rejoin_lines"),
    ]


def readme(rows) -> str:
    out = [
        "# Bad-input corpus",
        "",
        "Generated by `scripts/make-bad-corpus.py` (do not edit by hand). Each file is one",
        "class of malformed notebook. *nbrun should report* names the `NotebookError` case",
        "(`Sources/Notebook/Model/NotebookError.swift`) expected when reading the file; *nbformat 5.11*",
        "is what `nbformat.read(path, as_version=NO_CONVERT)` and then `nbformat.write` do",
        "(re-check with `make-bad-corpus.py --probe`). Rows marked ACCEPTED are files the real",
        "nbformat reads without raising: nbrun is deliberately stricter there.",
        "",
        "| file | what it is | nbrun should report | nbformat 5.11 |",
        "|---|---|---|---|",
    ]
    for name, _, what, expect, nbf in rows:
        cell = lambda s: s.replace("|", "\\|")  # noqa: E731
        out.append(f"| `{name}` | {cell(what)} | `{cell(expect)}` | {cell(nbf)} |")
    out.append("")
    return "\n".join(out)


def probe(path: Path) -> str:
    import logging
    import warnings

    import nbformat
    logging.getLogger("traitlets").addHandler(logging.NullHandler())
    captured: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            n = nbformat.read(str(path), as_version=nbformat.NO_CONVERT,
                              capture_validation_error=captured)
        except RecursionError as e:
            return f"read: RecursionError: {str(e)[:60]}"
        except Exception as e:  # noqa: BLE001
            return f"read: {type(e).__name__}: {str(e)[:70]}"
        result = "read ok" + (" (invalid: %s)" % str(captured["ValidationError"]).splitlines()[0][:60]
                              if "ValidationError" in captured else "")
        try:
            buf = io.StringIO()
            nbformat.write(n, buf)
            buf.getvalue().encode("utf-8")
            result += "; write ok"
        except Exception as e:  # noqa: BLE001
            result += f"; write: {type(e).__name__}: {str(e)[:60]}"
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--probe", action="store_true")
    parser.add_argument("--out", type=Path, default=CORPUS / "bad")
    args = parser.parse_args()

    rows = cases()
    files = {name: data for name, data, *_ in rows}
    files["README.md"] = readme(rows).encode("utf-8")
    problems = 0
    if not args.check:
        args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: bad/{name}", file=sys.stderr)
                problems += 1
        elif not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    if not args.check:
        for path in sorted(args.out.iterdir()):
            if path.name not in files and path.suffix == ".ipynb":
                print(f"note: bad/{path.name} is not produced by this script", file=sys.stderr)
    if args.probe:
        sys.setrecursionlimit(1000)
        for name, *_ in rows:
            print(f"{name:38} {probe(args.out / name)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
