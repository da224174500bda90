#!/usr/bin/env python3
"""A child process's start: `start()` to the child's first statement, nbrun's against CPython's fork.

    python3 bench/child_start_row.py --fixture PATH [--runs 30] [--python python3]

PATH is the FuturesWorkerFixture binary (`swift build -c release --product FuturesWorkerFixture`),
whose `child-start N` mode starts N `multiprocessing.Process`es, each in a scope whose output is
captured as a notebook cell's children are, and prints the milliseconds from `start()` to the
child's first statement (it stores `time.monotonic()` in a shared `Value`). The Python below does
the same with CPython 3.11's default start method (fork). Rows:

  cpython     the median of --runs starts (fork)
  nbrun       the median of --runs starts after the first (the fork server: ForkServer.swift)
  first       nbrun's first start, which also starts the fork server
  spawn       the same with NBRUN_FORK_SERVER=0 (every child a posix_spawn: the fallback)

Target (issue 29): nbrun's median within 1.2 x CPython's. A missed target is printed, never
fatal: the exit status is non-zero only when the tooling broke.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

CPYTHON = r"""
import multiprocessing, sys, time
def stamp(v):
    v.value = time.monotonic()
if __name__ == '__main__':
    context = multiprocessing.get_context('fork')
    figures = []
    for _ in range(int(sys.argv[1])):
        v = context.Value('d', 0.0)
        p = context.Process(target=stamp, args=(v,))
        t = time.monotonic()
        p.start()
        p.join()
        figures.append('%.3f' % ((v.value - t) * 1000))
    print('child-start ms ' + ' '.join(figures))
"""

LINE = re.compile(r"^child-start ms ((?:[\d.]+ ?)+)$", re.M)


def figures(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    match = LINE.search(out)
    if not match:
        raise SystemExit("unexpected output from %s: %r" % (command[0], out))
    return [float(x) for x in match.group(1).split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--python", default="python3")
    args = parser.parse_args()

    cpython = figures([args.python, "-c", CPYTHON, str(args.runs)])
    served = figures([args.fixture, "child-start", str(args.runs + 1)])
    spawned = figures([args.fixture, "child-start", str(args.runs)], dict(os.environ, NBRUN_FORK_SERVER="0"))
    python_ms, nbrun_ms = statistics.median(cpython), statistics.median(served[1:])
    ratio = nbrun_ms / python_ms
    print("child start (start() to the child's first statement, median of %d)" % args.runs)
    print("  CPython fork        %7.2f ms" % python_ms)
    print("  nbrun (fork server) %7.2f ms  ratio %.2f  %s" % (
        nbrun_ms, ratio, "ok (<= 1.2 x)" if ratio <= 1.2 else "OUTSIDE the 1.2 x target"))
    print("  nbrun first start   %7.2f ms  (starts the fork server too)" % served[0])
    print("  nbrun posix_spawn   %7.2f ms  ratio %.2f  (NBRUN_FORK_SERVER=0, the fallback)" % (
        statistics.median(spawned), statistics.median(spawned) / python_ms))


if __name__ == "__main__":
    try:
        main()
    except (OSError, subprocess.CalledProcessError) as error:
        print("child_start_row: %s" % error, file=sys.stderr)
        sys.exit(1)
