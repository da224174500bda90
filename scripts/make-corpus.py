#!/usr/bin/env python3
"""Regenerates the round-trip corpus's expected outputs with the real nbformat.

For every Tests/NotebookTests/Corpus/roundtrip/NAME.ipynb (hand-written, deliberately
not in canonical form), writes Corpus/expected/NAME.ipynb: exactly the bytes of

    nbformat.write(nbformat.read(NAME, as_version=nbformat.NO_CONVERT), out)

Names listed in Corpus/needs-ids.txt are skipped: they are minor-5 notebooks whose cells
lack ids, and nbformat's read (its validate step) fills those in with *random* ids, so
there is no fixed expected output.

Usage:
    make-corpus.py            regenerate expected/ (and report validation warnings)
    make-corpus.py --check    regenerate nothing; exit 1 if any expected file is missing,
                              stale (differs from what nbformat writes now) or orphaned
    make-corpus.py --corpus DIR   use DIR instead of Tests/NotebookTests/Corpus

Run it with a Python that has nbformat, e.g. .venv/bin/python (scripts/pyenv.sh .venv nbformat).
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import warnings
from pathlib import Path

try:
    import nbformat
except ImportError:
    sys.exit(
        "make-corpus.py: nbformat is not importable from %s\n"
        "  create the venv with: scripts/pyenv.sh .venv nbformat, then run .venv/bin/python %s"
        % (sys.executable, sys.argv[0])
    )

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "Tests" / "NotebookTests" / "Corpus"


def needs_ids(corpus: Path) -> set[str]:
    path = corpus / "needs-ids.txt"
    if not path.exists():
        return set()
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line)
    return names


def roundtrip(path: Path) -> tuple[bytes, list[str]]:
    """What nbformat writes after reading `path`, plus any validation complaints."""
    notes: list[str] = []
    captured: dict = {}
    # nbformat logs "Notebook JSON is invalid" through traitlets' logger (the same error is
    # captured below) and warns about missing ids; silence the log, collect the warnings.
    handler = logging.NullHandler()
    logger = logging.getLogger("traitlets")  # nbformat's get_logger() falls back to this one
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nb = nbformat.read(str(path), as_version=nbformat.NO_CONVERT,
                               capture_validation_error=captured)
            out = io.StringIO()
            # write() to a file object: writes(), then a "\n" if it does not end with one.
            nbformat.write(nb, out, capture_validation_error=captured)
    finally:
        logger.removeHandler(handler)
    for w in caught:
        notes.append(f"{w.category.__name__}: {str(w.message).splitlines()[0]}")
    if "ValidationError" in captured:
        notes.append("ValidationError: " + str(captured["ValidationError"]).splitlines()[0])
    # Dedupe, keeping order.
    notes = list(dict.fromkeys(notes))
    # nbformat.write(nb, path) opens the file with encoding="utf8" and no newline translation
    # on POSIX; encoding here gives the same bytes (and raises on lone surrogates, as it does).
    return out.getvalue().encode("utf-8"), notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if expected/ differs from what nbformat produces now")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = parser.parse_args()

    corpus: Path = args.corpus
    inputs_dir, expected_dir = corpus / "roundtrip", corpus / "expected"
    skip = needs_ids(corpus)
    inputs = sorted(inputs_dir.glob("*.ipynb"))
    if not inputs:
        print(f"make-corpus.py: no inputs in {inputs_dir}", file=sys.stderr)
        return 2
    if not args.check:
        expected_dir.mkdir(parents=True, exist_ok=True)

    problems = 0
    for src in inputs:
        name = src.name
        if name in skip:
            if not args.quiet:
                print(f"skip   {name} (needs-ids.txt: nbformat would add random ids)")
            continue
        try:
            data, notes = roundtrip(src)
        except Exception as e:  # noqa: BLE001 - report any failure against the file
            print(f"ERROR  {name}: nbformat failed: {type(e).__name__}: {e}", file=sys.stderr)
            problems += 1
            continue
        dst = expected_dir / name
        old = dst.read_bytes() if dst.exists() else None
        if args.check:
            if old is None:
                print(f"MISSING expected/{name}", file=sys.stderr)
                problems += 1
            elif old != data:
                print(f"STALE  expected/{name} differs from nbformat {nbformat.__version__}",
                      file=sys.stderr)
                problems += 1
            elif not args.quiet:
                print(f"ok     {name}")
        else:
            if old != data:
                dst.write_bytes(data)
            if not args.quiet:
                state = "same" if old == data else ("new" if old is None else "updated")
                print(f"{state:<6} {name}")
        if not args.quiet:
            for note in notes:
                print(f"         {note}")

    # Expected files without an input (or for a needs-ids input) are stale leftovers.
    wanted = {p.name for p in inputs} - skip
    for dst in sorted(expected_dir.glob("*.ipynb")) if expected_dir.exists() else []:
        if dst.name not in wanted:
            if args.check:
                print(f"ORPHAN expected/{dst.name} has no round-trip input", file=sys.stderr)
                problems += 1
            else:
                dst.unlink()
                if not args.quiet:
                    print(f"removed expected/{dst.name} (no input)")

    for name in sorted(skip - {p.name for p in inputs}):
        print(f"WARN   needs-ids.txt lists {name}, which is not in roundtrip/", file=sys.stderr)

    if problems:
        print(f"make-corpus.py: {problems} problem(s) (nbformat {nbformat.__version__})",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
