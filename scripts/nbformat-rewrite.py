#!/usr/bin/env python3
"""Validates a notebook with the real nbformat and writes nbformat's own rewrite of it.

Usage: nbformat-rewrite.py IN OUT
Exits 1 (printing the reason) when nbformat's validator rejects IN.
The tests use it to check that what nbrun writes is valid and is a fixed point of nbformat.
"""
import sys

import nbformat


def main() -> int:
    source, target = sys.argv[1], sys.argv[2]
    notebook = nbformat.read(source, as_version=nbformat.NO_CONVERT)
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        print(f"{source}: invalid: {error.message}", file=sys.stderr)
        return 1
    nbformat.write(notebook, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
