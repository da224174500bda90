#!/usr/bin/env python3
"""Writes a large, deterministic benchmark notebook (about 20 MB at the default size).

    gen-big-notebook.py OUT [--cells 4000] [--seed 2026]

--cells code cells, each with a stream output of a few lines (about one in six also with
stderr, one in five with an execute_result), one in eight with a display_data
carrying a base64 PNG-sized blob (10-40 KB of random bytes), and a markdown cell before
every fifth code cell. nbformat 4.5 with deterministic cell ids, written with
nbformat.write, so the file is already in nbformat's canonical form: reading and
rewriting it with nbformat gives the same bytes.

The same --cells and --seed give the same bytes on every run (needs nbformat).
"""

from __future__ import annotations

import argparse
import base64
import random
import sys
import warnings

try:
    import nbformat
except ImportError:
    sys.exit("gen-big-notebook.py: needs nbformat (scripts/pyenv.sh .venv nbformat; .venv/bin/python)")

WORDS = ("thread future pool worker result queue lock event timeout latency request "
         "response socket buffer retry backoff batch chunk page token cache index").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make(cells: int, seed: int) -> dict:
    rng = random.Random(seed)
    nb_cells = []
    count = 0

    def next_id() -> str:
        return "%08x" % rng.getrandbits(32) + "-%05d" % len(nb_cells)

    for i in range(cells):
        if i % 5 == 0:
            nb_cells.append({
                "cell_type": "markdown", "id": next_id(), "metadata": {},
                "source": "## Step %d: %s\n\n%s.\n\n- %s\n- `%s`"
                          % (i // 5 + 1, sentence(rng, 3), sentence(rng, 25).capitalize(),
                             sentence(rng, 6), sentence(rng, 2)),
            })
        count += 1
        lines = rng.randint(3, 9)
        stdout = "".join("[%04d] %s %d ms\n" % (i, sentence(rng, rng.randint(3, 10)), rng.randint(1, 2000))
                         for _ in range(lines))
        outputs = [{"output_type": "stream", "name": "stdout", "text": stdout}]
        if i % 6 == 3:
            outputs.append({"output_type": "stream", "name": "stderr",
                            "text": "WARNING: %s\n  retrying in %.1fs\n" % (sentence(rng, 5), rng.random() * 5)})
        if i % 8 == 2:
            blob = rng.randbytes(rng.randint(10_000, 40_000))
            outputs.append({
                "output_type": "display_data",
                "metadata": {"image/png": {"width": rng.randint(200, 900), "height": rng.randint(150, 600)}},
                "data": {"image/png": base64.b64encode(blob).decode("ascii"),
                         "text/plain": "<Figure size 640x480 with 1 Axes>"},
            })
        if i % 5 == 4:
            value = rng.randint(0, 10**6)
            outputs.append({
                "output_type": "execute_result", "execution_count": count, "metadata": {},
                "data": {"text/plain": "{'n': %d, 'ok': True}" % value,
                         "text/html": "<table>\n<tr><td>n</td><td>%d</td></tr>\n</table>" % value},
            })
        nb_cells.append({
            "cell_type": "code", "id": next_id(), "execution_count": count,
            "metadata": {"tags": ["bench"]} if i % 11 == 0 else {},
            "outputs": outputs,
            "source": "results = run_step(%d, workers=%d)\nfor r in results:\n    print(r)\n"
                      "# %s" % (i, rng.randint(1, 16), sentence(rng, 6)),
        })
    return {
        "cells": nb_cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7", "mimetype": "text/x-python",
                              "file_extension": ".py", "pygments_lexer": "ipython3",
                              "codemirror_mode": {"name": "ipython", "version": 3},
                              "nbconvert_exporter": "python"},
            "generator": "scripts/gen-big-notebook.py --cells %d --seed %d" % (cells, seed),
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--cells", type=int, default=4000, help="code cells (default 4000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    nb = nbformat.from_dict(make(args.cells, args.seed))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a validation problem here is a bug in this script
        nbformat.validate(nb)
    nbformat.write(nb, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
