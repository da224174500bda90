#!/usr/bin/env python3
"""Python reference timings for a whole notebook read + rewrite, to compare nbrun against.

    bench/anchors.py FILE [--repeat N] [--stat best|median] [--out-dir DIR]

Two figures for each of two ways to do it:

  nbformat   nbformat.read(FILE, as_version=NO_CONVERT) then nbformat.write to a file
             (includes nbformat's schema validation on read and on write, as in real use)
  json       json.load, then json.dumps(indent=1, sort_keys=True, separators=(',', ': '),
             ensure_ascii=False) + "\\n" written to a file (the floor for any Python tool)

  *_s        in this process, imports already done: best of N (--stat median: median of N)
  *_proc_s   a fresh `python -c ...` subprocess doing the same, wall clock around it
             (interpreter start + imports + work): best (or median) of N. Compare nbrun as a whole
             process against this one. python_startup_s (`python -c pass`) and
             nbformat_import_proc_s (`python -c 'import nbformat'`) show the fixed part.

Prints one machine-readable line first (key=value, seconds), then human lines, e.g.
    nbformat_s=1.720 json_s=0.240 nbformat_proc_s=1.950 json_proc_s=0.290 bytes=20971520 ...
Run it with a Python that has nbformat, e.g. .venv/bin/python (scripts/pyenv.sh .venv nbformat).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NBFORMAT_CODE = (
    "import sys, nbformat\n"
    "nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n"
    "nbformat.write(nb, sys.argv[2])\n"
)
JSON_CODE = (
    "import sys, json\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    d = json.load(f)\n"
    "s = json.dumps(d, indent=1, sort_keys=True, separators=(',', ': '), ensure_ascii=False)\n"
    "with open(sys.argv[2], 'w', encoding='utf-8') as f:\n"
    "    f.write(s + '\\n')\n"
)


STAT = min


def best(fn, repeat: int) -> float:
    """The best (or, with --stat median, the median) of `repeat` timed runs of fn."""
    times = []
    for _ in range(repeat):
        gc.collect()  # start each run from a clean heap, as a fresh process would
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return STAT(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the best is kept (default 5)")
    parser.add_argument("--stat", choices=("best", "median"), default="best",
                        help="which of the N runs each figure reports (default best)")
    parser.add_argument("--out-dir", type=Path, default=None, help="where rewritten copies go (default: a temp dir)")
    args = parser.parse_args()
    global STAT
    if args.stat == "median":
        import statistics
        STAT = statistics.median

    import logging
    import warnings

    import nbformat

    # A notebook nbformat finds invalid should still be timed, quietly.
    logging.getLogger("traitlets").addHandler(logging.NullHandler())
    warnings.simplefilter("ignore")

    src = str(args.file)
    size = args.file.stat().st_size
    tmp = tempfile.TemporaryDirectory(prefix="nbrun-anchors-") if args.out_dir is None else None
    out_dir = Path(tmp.name) if tmp else args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    out_nbf, out_json = str(out_dir / "nbformat.ipynb"), str(out_dir / "json.ipynb")
    # The same work as NBFORMAT_CODE and JSON_CODE below, minus the imports.
    def run_nbformat():
        nb = nbformat.read(src, as_version=nbformat.NO_CONVERT)
        nbformat.write(nb, out_nbf)

    def run_json():
        with open(src, encoding="utf-8") as f:
            d = json.load(f)
        s = json.dumps(d, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)
        with open(out_json, "w", encoding="utf-8") as f:
            f.write(s + "\n")

    nbformat_s = best(run_nbformat, args.repeat)
    json_s = best(run_json, args.repeat)

    env = dict(os.environ, PYTHONWARNINGS="ignore")

    def proc(code: str, out: str):
        def go():
            subprocess.run([sys.executable, "-c", code, src, out], check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return go

    nbformat_proc_s = best(proc(NBFORMAT_CODE, out_nbf), args.repeat)
    json_proc_s = best(proc(JSON_CODE, out_json), args.repeat)
    startup_s = best(proc("pass", out_json), args.repeat)
    import_s = best(proc("import nbformat", out_json), args.repeat)

    original = args.file.read_bytes()
    same_nbf = Path(out_nbf).read_bytes() == original
    same_json = Path(out_json).read_bytes() == original
    if tmp:
        tmp.cleanup()

    py = "%d.%d.%d" % sys.version_info[:3]
    print("nbformat_s=%.3f json_s=%.3f nbformat_proc_s=%.3f json_proc_s=%.3f python_startup_s=%.3f "
          "nbformat_import_proc_s=%.3f bytes=%d repeat=%d stat=%s nbformat=%s python=%s nbformat_identical=%s json_identical=%s"
          % (nbformat_s, json_s, nbformat_proc_s, json_proc_s, startup_s, import_s, size, args.repeat, args.stat,
             nbformat.__version__, py, "yes" if same_nbf else "no", "yes" if same_json else "no"))
    mb = size / 1e6
    print("%s (%.1f MB), %s of %d, Python %s:" % (args.file.name, mb, args.stat, args.repeat, py))
    print("  nbformat %s read+write: %.3f s in-process (%.1f MB/s), %.3f s as a fresh process"
          % (nbformat.__version__, nbformat_s, mb / nbformat_s, nbformat_proc_s))
    print("  stdlib json load+dumps: %.3f s in-process (%.1f MB/s), %.3f s as a fresh process"
          % (json_s, mb / json_s, json_proc_s))
    print("  bare interpreter start: %.3f s; start + import nbformat: %.3f s" % (startup_s, import_s))
    print("  rewritten bytes identical to the input: nbformat %s, json %s"
          % ("yes" if same_nbf else "no", "yes" if same_json else "no"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
