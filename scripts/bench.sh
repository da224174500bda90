#!/usr/bin/env bash
# nbrun's benchmarks (`make bench`): every figure next to the Python tool it replaces.
#
#   scripts/bench.sh [extra bench/run_bench.py options, e.g. --slow-runs 1]
#
# 1. a venv (.venv-bench) with nbconvert, nbformat, ipykernel, papermill and a python3
#    kernel spec inside it; hyperfine and GNU time from apt when missing (optional);
# 2. a release build of nbrun in its own scratch path (.build-bench; NBRUN_BENCH_SCRATCH
#    overrides it, NBRUN=path skips the build and times that binary);
# 3. the big notebook (bench/out/big.ipynb, scripts/gen-big-notebook.py, made once);
# 4. bench/run_bench.py: prints the table and writes bench/out/latest.md (+ .json); its
#    1000-copy row (bench/scale_row.py, ~1 min: --scale-copies 0 skips it) runs alone as
#    `python3 bench/scale_row.py --nbrun PATH [--copies N] [--runs R]`; its fresh-course and
#    race rows (bench/fresh_row.py, ~30 s: --fresh-runs 0 skips them) as
#    `python3 bench/fresh_row.py --nbrun PATH [--copies N] [--runs R] [--race-runs R]`;
# 5. bench/cpu_cost_row.py: a port spending CPython's CPU time (CPythonCost) beside the
#    Python it ports, idle and loaded (~30 s);
# 6. bench/child_start_row.py: start() to a child's first statement, nbrun's fork server
#    against CPython's fork (~2 s).
#
# A missed target is printed, never fatal: the exit status is non-zero only when the
# tooling broke (venv, build, a tool that cannot run). See BENCH.md.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-bench
scratch="${NBRUN_BENCH_SCRATCH:-.build-bench}"
big=bench/out/big.ipynb
mkdir -p bench/out

step() { printf '\n== %s\n' "$*"; }

step "python venv ($venv)"
scripts/pyenv.sh "$venv" nbconvert nbformat ipykernel papermill
if [ ! -f "$venv/share/jupyter/kernels/python3/kernel.json" ]; then
    "$venv/bin/python" -m ipykernel install --sys-prefix >/dev/null
fi
echo "$("$venv/bin/python" --version); kernel spec $venv/share/jupyter/kernels/python3"

# hyperfine times the short runs; GNU time (/usr/bin/time) gives clean peak-RSS figures.
# Both optional: run_bench.py falls back to a subprocess loop and to polling /proc.
missing=""
command -v hyperfine >/dev/null 2>&1 || missing="$missing hyperfine"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ]; then
    step "installing (optional):$missing"
    sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
    # shellcheck disable=SC2086
    { $sudo apt-get install -y -qq $missing >/dev/null 2>&1 \
      || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq $missing >/dev/null 2>&1; }; } \
      || echo "could not install$missing: using the fallbacks"
fi

if [ -n "${NBRUN:-}" ]; then
    nbrun="$NBRUN"
    step "using NBRUN=$nbrun (no build)"
else
    step "release build (swift build -c release --product nbrun --scratch-path $scratch)"
    swift build -c release --product nbrun --scratch-path "$scratch"
    swift build -c release --product io-server --scratch-path "$scratch"  # 07-io's service, next to nbrun
    nbrun="$(swift build -c release --product nbrun --scratch-path "$scratch" --show-bin-path)/nbrun"
fi
echo "demos registered for 02-threads: $("$nbrun" list | grep -c '^02-threads' || true)"
echo "demos registered for 03-processes: $("$nbrun" list | grep -c '^03-processes' || true)"
echo "demos registered for 04-asyncio: $("$nbrun" list | grep -c '^04-asyncio' || true)"
echo "demos registered for 05-coordination: $("$nbrun" list | grep -c '^05-coordination' || true)"
echo "demos registered for 06-faults: $("$nbrun" list | grep -c '^06-faults' || true)"
echo "demos registered for 07-io: $("$nbrun" list | grep -c '^07-io' || true)"

if [ ! -f "$big" ] || [ scripts/gen-big-notebook.py -nt "$big" ]; then
    step "generating $big"
    "$venv/bin/python" scripts/gen-big-notebook.py "$big.tmp" && mv "$big.tmp" "$big"
fi

step "measuring"
"$venv/bin/python" bench/run_bench.py --nbrun "$nbrun" --big "$big" "$@"

# CPU time as CPython spends it (CPythonCost): a port beside its Python, idle and loaded.
step "CPU time as CPython spends it (bench/cpu_cost_row.py)"
swift build -c release --product FuturesWorkerFixture --scratch-path "$scratch"
fixture="$(swift build -c release --product FuturesWorkerFixture --scratch-path "$scratch" --show-bin-path)/FuturesWorkerFixture"
python3 bench/cpu_cost_row.py --fixture "$fixture"

# A child process's start (issue 29): start() to its first statement, against CPython's fork.
step "child process start (bench/child_start_row.py)"
python3 bench/child_start_row.py --fixture "$fixture"
