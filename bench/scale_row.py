#!/usr/bin/env python3
"""The 1000-copy row of `make bench`: `nbrun check DIR` over many copies of one notebook.

    bench/scale_row.py --nbrun PATH [--notebook notebooks/02-threads.ipynb] [--copies 1000] [--runs 1]

Figures (each the median over --runs, false differences summed):
  wall, CPU (user + sys), peak RSS   GNU time around `nbrun check DIR` (nbrun.json beside the
                                     copies, `git init` so check stops there)
  false differences                  `N differ` from check's summary: the copies are the golden
                                     notebook, so every difference is a timing distorted by the batch
  floor                              the CPU-bound cells of all copies run one after another (the
                                     same copies with only those cells tagged `no-run`, `nbrun check
                                     --jobs 1`), plus the notebook's longest recorded cell: CPU-bound
                                     cells one after another with nothing beside them, everything else
                                     side by side
  alone                              the same CPU-bound cells as nbrun runs them when nothing else
                                     runs (`nbrun check`: one-core cells one per core), plus the
                                     longest cell: a lower bound the batch cannot reach while its
                                     timing-sensitive cells that compute need a core's headroom
Targets (issue 13): 0 false differences, wall <= 1.3 x floor, peak RSS <= 256 MiB.
Run alone it prints the rows; run_bench.py imports `measure_scale` for its table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Demos marked `cpuBound: true` in Sources/Demos (nbrun list does not show the flag).
DEFAULT_CPU_BOUND = ["02-threads/race", "02-threads/lock"]


def _timed(argv: list[str]) -> dict:
    """Wall, CPU and peak RSS from GNU time; check's summary line from stderr
    ("nbrun: 1000 notebooks, 9000 cells in 12.3 s; 0 cells differ")."""
    with tempfile.NamedTemporaryFile(prefix="time-", mode="r") as stats:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.name, "--"] + argv,
                              capture_output=True, text=True)
        fields = stats.read().strip().splitlines()[-1].split()
    wall, user, sys_, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    summary = re.search(r"(\d+) cells? in [\d.]+ s; (\d+) cells? differs?", proc.stderr)
    return {"wall": wall, "cpu_s": user + sys_, "sys_s": sys_, "maxrss_kib": rss, "rc": proc.returncode,
            "checked": int(summary.group(1)) if summary else None,
            "differ": int(summary.group(2)) if summary else None,
            "stderr": proc.stderr[-2000:]}


def _cell_demos(nbrun: str, notebook: Path) -> dict[int, str]:
    """Cell index (0-based) -> `notebook/demo`, from `nbrun list NOTEBOOK`."""
    out = subprocess.run([nbrun, "list", str(notebook)], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        m = re.match(r"\s+cell (\d+)\b.*-> (\S+)$", line)
        if m:
            found[int(m.group(1)) - 1] = m.group(2)
    return found


def _only_cells(notebook: Path, keep: set[int]) -> str:
    """The notebook with the `no-run` tag left only on the cells in `keep` (json, indent 1)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags")
        if tags and "no-run" in tags and index not in keep:
            cell["metadata"]["tags"] = [t for t in tags if t != "no-run"]
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _copies(directory: Path, text: str, copies: int) -> None:
    directory.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(directory)], check=True)
    shutil.copyfile(ROOT / "nbrun.json", directory / "nbrun.json")
    for k in range(copies):
        (directory / ("%04d.ipynb" % k)).write_text(text, encoding="utf-8")


def _longest_recorded(notebook: Path) -> float:
    parse = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    longest = 0.0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        ex = cell.get("metadata", {}).get("execution") or {}
        if "shell.execute_reply" in ex and "iopub.execute_input" in ex:
            longest = max(longest, (parse(ex["shell.execute_reply"]) - parse(ex["iopub.execute_input"])).total_seconds())
    return longest


def measure_scale(nbrun: str, notebook: Path, copies: int, runs: int, cpu_bound: list[str], log=print) -> dict:
    """Runs the batch and its floor `runs` times each; returns medians and every run."""
    demos = _cell_demos(nbrun, notebook)
    cpu_cells = {index for index, demo in demos.items() if demo in cpu_bound}
    with tempfile.TemporaryDirectory(prefix="nbrun-scale-") as tmp:
        full, alone = Path(tmp) / "all", Path(tmp) / "cpu-bound"
        _copies(full, notebook.read_text(encoding="utf-8"), copies)
        _copies(alone, _only_cells(notebook, cpu_cells), copies)
        batch, floor_runs, alone_runs = [], [], []
        for i in range(runs):
            floor_runs.append(_timed([nbrun, "check", "--jobs", "1", str(alone)]))
            alone_runs.append(_timed([nbrun, "check", str(alone)]))
            batch.append(_timed([nbrun, "check", str(full)]))
            b, f, a = batch[-1], floor_runs[-1], alone_runs[-1]
            log("  %d copies run %d: %.2f s, CPU %.2f s (sys %.2f), peak RSS %.0f MiB, %s of %s cells differ; "
                "CPU-bound cells one after another %.2f s, as nbrun runs them alone %.2f s"
                % (copies, i + 1, b["wall"], b["cpu_s"], b["sys_s"], b["maxrss_kib"] / 1024, b["differ"],
                   b["checked"], f["wall"], a["wall"]))
    longest = _longest_recorded(notebook)
    med = lambda rs, key: statistics.median(r[key] for r in rs)
    return {
        "copies": copies, "runs": batch, "floor_runs": floor_runs, "longest_cell": longest,
        "wall": med(batch, "wall"), "cpu_s": med(batch, "cpu_s"), "maxrss_kib": med(batch, "maxrss_kib"),
        "floor": med(floor_runs, "wall") + longest,
        "alone": med(alone_runs, "wall") + longest,
        "false_differences": sum(r["differ"] or 0 for r in batch),
        "cpu_bound_cells": sorted(demos[i] for i in cpu_cells),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nbrun", required=True)
    ap.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "02-threads.ipynb")
    ap.add_argument("--copies", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--cpu-bound", default=",".join(DEFAULT_CPU_BOUND), help="demos run alone for the floor")
    args = ap.parse_args()
    r = measure_scale(str(Path(args.nbrun).resolve()), args.notebook.resolve(), args.copies, args.runs,
                      args.cpu_bound.split(","))
    print("%d copies: wall %.2f s, floor %.2f s (CPU-bound cells one after another + longest cell %.2f s): %.2fx "
          "(target <= 1.3x); %.2fx the CPU-bound cells as nbrun runs them alone (%.2f s); "
          "CPU %.2f s; peak RSS %.0f MiB (target <= 256); false differences %d over %d run(s) (target 0)"
          % (r["copies"], r["wall"], r["floor"], r["longest_cell"], r["wall"] / r["floor"], r["wall"] / r["alone"],
             r["alone"], r["cpu_s"], r["maxrss_kib"] / 1024, r["false_differences"], args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
