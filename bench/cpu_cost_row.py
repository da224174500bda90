#!/usr/bin/env python3
"""CPU time as CPython spends it: the port of a prime count (CPythonCost / CPythonTime) beside
the Python it ports, on an idle and on a loaded machine.

    python3 bench/cpu_cost_row.py --fixture PATH [--limit 300000] [--runs 5] [--python python3]

PATH is the FuturesWorkerFixture binary (`swift build -c release --product FuturesWorkerFixture`),
whose `cpython-cost LIMIT` mode runs the port. Rows:

  calibration  the cost per loop iteration CPythonCost measures with python3 (a fresh cache:
               XDG_CACHE_HOME points at a temp folder), idle and again under load; both are
               CPU time (time.process_time), so load should barely move them.
  idle         --runs runs of the Python and of the port, alternating; medians of the CPU time
               and the wall time each prints.
  loaded       the same with as many busy-looping processes as there are cores started first
               (the port uses the calibration made idle).

A pair passes when its times match under `check`'s default tolerance,
|a - b| <= 0.05 + 0.25 * max(a, b), the rule a regenerated notebook's printed times are held to.
Never fails on a missed figure: the exit status is non-zero only when the tooling broke.
"""
import argparse
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

PRIMES = r"""
import sys, time
def is_prime(n):
    if n < 2: return False
    for i in range(2, int(n ** 0.5) + 1):
        if n % i == 0: return False
    return True
LIMIT = int(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
count = sum(1 for n in range(LIMIT) if is_prime(n))
print(f'{count} primes cpu {time.process_time() - cpu:.3f} wall {time.perf_counter() - start:.3f}')
"""

LINE = re.compile(r"^(\d+) primes cpu ([\d.]+) wall ([\d.]+)(?: \((\w+).*?([\d.]+) ns per iteration\))?")


def run(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout.strip()
    match = LINE.match(out)
    if not match:
        raise SystemExit("unexpected output from %s: %r" % (command[0], out))
    primes, cpu, wall, source, ns = match.groups()
    return {"primes": int(primes), "cpu": float(cpu), "wall": float(wall), "source": source,
            "ns": float(ns) if ns else None}


def spin():
    while True:
        pass


def within(a, b):
    return abs(a - b) <= 0.05 + 0.25 * max(a, b)


def measure(args, env, label):
    python, port = [], []
    for _ in range(args.runs):
        python.append(run([args.python, "-c", PRIMES, str(args.limit)]))
        port.append(run([args.fixture, "cpython-cost", str(args.limit)], env))
    row = {}
    for key in ("cpu", "wall"):
        p = statistics.median(r[key] for r in python)
        s = statistics.median(r[key] for r in port)
        row[key] = (p, s)
        print("%-7s %-4s  CPython %.3f s  port %.3f s  ratio %.2f  %s"
              % (label, key, p, s, s / p, "ok" if within(p, s) else "OUTSIDE the tolerance"))
    if {r["primes"] for r in python} != {r["primes"] for r in port}:
        print("%-7s the port counted different primes: %s" % (label, {r["primes"] for r in port}))
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixture", required=True)
    ap.add_argument("--limit", type=int, default=300000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default=shutil.which("python3") or "python3")
    args = ap.parse_args()
    cache = tempfile.mkdtemp(prefix="nbrun-cpu-cost-")
    env = dict(os.environ, XDG_CACHE_HOME=cache, NBRUN_PYTHON=args.python)
    try:
        idle_calibration = run([args.fixture, "cpython-cost", "1000"], env)
        print("calibration idle: %.1f ns per iteration (%s)" % (idle_calibration["ns"], idle_calibration["source"]))
        measure(args, env, "idle")
        loaders = [multiprocessing.Process(target=spin, daemon=True) for _ in range(os.cpu_count() or 2)]
        for loader in loaders:
            loader.start()
        try:
            fresh = dict(env, XDG_CACHE_HOME=tempfile.mkdtemp(prefix="nbrun-cpu-cost-loaded-", dir=cache))
            loaded_calibration = run([args.fixture, "cpython-cost", "1000"], fresh)
            print("calibration loaded (%d busy processes): %.1f ns per iteration"
                  % (len(loaders), loaded_calibration["ns"]))
            measure(args, env, "loaded")
        finally:
            for loader in loaders:
                loader.terminate()
                loader.join()
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
