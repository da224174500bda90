#!/usr/bin/env python3
"""The fresh-course rows of `make bench`: a course regenerated for the first time, and the race's lesson.

    bench/fresh_row.py --nbrun PATH [--notebook notebooks/02-threads.ipynb] [--copies 100] [--runs 5]
                       [--race-runs 10] [--seed 1]

A fresh copy is the golden notebook with its outputs, execution counts and nbclient timing
metadata removed (what a course looks like before its first run: no recorded durations, so
no longest-first order and no pacing by recorded work).

Figures:
  fresh batch    `nbrun --seed S DIR/` over --copies fresh copies against `nbrun --seed S NB`
                 on one fresh copy, the two alternating, --runs times each (GNU time); medians.
                 Every written copy is then compared with the golden notebook (`nbrun diff
                 --config nbrun.json`): a copy that differs is a false difference (a time the
                 batch distorted). Target (issue 23): batch <= 1.6 x one, 0 false differences.
  race           --race-runs fresh runs of one copy: in how many did the unlocked counter of the
                 `race` cell lose updates (`got:` below `expected:`), and what the cell took (its
                 execute_input to execute_reply). Target: >= 9 of 10 on a quiet machine.
Run alone it prints the rows; run_bench.py imports `measure_fresh` for its table.
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


def fresh_text(golden: Path) -> str:
    """The golden notebook with no outputs, execution counts or timing metadata (json, indent 1)."""
    nb = json.loads(golden.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        cell["outputs"] = []
        cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _timed(argv: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(prefix="time-", mode="r") as stats:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.name, "--"] + argv,
                              capture_output=True, text=True)
        fields = stats.read().strip().splitlines()[-1].split()
    return {"wall": float(fields[0]), "cpu_s": float(fields[1]) + float(fields[2]), "maxrss_kib": int(fields[3]),
            "rc": proc.returncode, "stderr": proc.stderr[-2000:]}


def _seconds(cell: dict) -> float | None:
    ex = cell.get("metadata", {}).get("execution") or {}
    if "shell.execute_reply" not in ex or "iopub.execute_input" not in ex:
        return None
    parse = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return (parse(ex["shell.execute_reply"]) - parse(ex["iopub.execute_input"])).total_seconds()


def race_of(path: Path) -> tuple[bool, float | None] | None:
    """(lost updates?, seconds) of the race cell of a written notebook; None if it has none."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream")
        expected, got = re.search(r"^expected: +(\d+)$", text, re.M), re.search(r"^got: +(\d+)$", text, re.M)
        if expected and got:
            return int(got.group(1)) < int(expected.group(1)), _seconds(cell)
    return None


def _differing(nbrun: str, golden: Path, written: list[Path]) -> int:
    rules = ["--config", str(ROOT / "nbrun.json")] if (ROOT / "nbrun.json").exists() else []
    return sum(1 for p in written
               if subprocess.run([nbrun, "diff"] + rules + [str(golden), str(p)], capture_output=True).returncode != 0)


def _run(nbrun: str, text: str, copies: int, seed: int | None, golden: Path, tmp: Path) -> dict:
    d = Path(tempfile.mkdtemp(prefix="fresh-%d-" % copies, dir=tmp))
    # Its own rules and a git root, so no nbrun.json above the temp dir applies.
    subprocess.run(["git", "init", "-q", str(d)], check=True)
    shutil.copyfile(ROOT / "nbrun.json", d / "nbrun.json")
    for k in range(copies):
        (d / ("%03d.ipynb" % k)).write_text(text, encoding="utf-8")
    target = str(d) + "/" if copies > 1 else str(d / "000.ipynb")
    r = _timed([nbrun] + (["--seed", str(seed)] if seed is not None else []) + [target])
    written = sorted(d.glob("*.ipynb"))
    r["differ"] = _differing(nbrun, golden, written) if r["rc"] == 0 else None
    races = [race_of(p) for p in written]
    r["race_lost"] = sum(1 for x in races if x and x[0])
    r["race_seconds"] = [x[1] for x in races if x and x[1] is not None]
    shutil.rmtree(d, ignore_errors=True)
    return r


def measure_fresh(nbrun: str, golden: Path, copies: int, runs: int, race_runs: int, seed: int, log=print) -> dict:
    text = fresh_text(golden)
    one, batch, race = [], [], []
    with tempfile.TemporaryDirectory(prefix="nbrun-fresh-") as tmp:
        for i in range(runs):
            one.append(_run(nbrun, text, 1, seed, golden, Path(tmp)))
            batch.append(_run(nbrun, text, copies, seed, golden, Path(tmp)))
            o, b = one[-1], batch[-1]
            log("  fresh run %d: one %.2f s (%s differ); %d copies %.2f s, CPU %.2f s, peak RSS %.0f MiB, %s of %d "
                "copies differ, race lost updates in %d of %d" % (i + 1, o["wall"], o["differ"], copies, b["wall"],
                                                                  b["cpu_s"], b["maxrss_kib"] / 1024, b["differ"],
                                                                  copies, b["race_lost"], copies))
        for i in range(race_runs):
            race.append(_run(nbrun, text, 1, None, golden, Path(tmp)))
        log("  race, %d fresh runs of one copy: lost updates in %d; the cell took %s ms"
            % (race_runs, sum(r["race_lost"] for r in race),
               ", ".join("%.1f" % (s * 1e3) for r in race for s in r["race_seconds"])))
    med = lambda rs, key: statistics.median(r[key] for r in rs)
    race_seconds = [s for r in race for s in r["race_seconds"]]
    return {
        "copies": copies, "one_runs": one, "batch_runs": batch, "race_runs": race,
        "one": med(one, "wall"), "batch": med(batch, "wall"), "batch_cpu_s": med(batch, "cpu_s"),
        "batch_maxrss_kib": med(batch, "maxrss_kib"),
        "false_differences": sum((r["differ"] or 0) for r in one + batch),
        "failed_runs": sum(1 for r in one + batch + race if r["rc"] != 0),
        "race_lost": sum(r["race_lost"] for r in race), "race_of": len(race),
        "race_seconds": statistics.median(race_seconds) if race_seconds else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nbrun", required=True)
    ap.add_argument("--notebook", type=Path, default=ROOT / "notebooks" / "02-threads.ipynb")
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--race-runs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = measure_fresh(str(Path(args.nbrun).resolve()), args.notebook.resolve(), args.copies, args.runs,
                      args.race_runs, args.seed)
    print("%d fresh copies: %.2f s vs one fresh copy %.2f s: %.2fx (target <= 1.6x); CPU %.2f s; peak RSS %.0f MiB; "
          "false differences %d over %d run(s) (target 0); failed runs %d"
          % (r["copies"], r["batch"], r["one"], r["batch"] / r["one"], r["batch_cpu_s"], r["batch_maxrss_kib"] / 1024,
             r["false_differences"], args.runs, r["failed_runs"]))
    print("race: lost updates in %d of %d fresh runs (target >= 9 of 10); the cell took %s ms (median)"
          % (r["race_lost"], r["race_of"], "%.1f" % (r["race_seconds"] * 1e3) if r["race_seconds"] else "?"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
