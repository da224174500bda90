#!/usr/bin/env bash
# Fuzzes the notebook reader and canonical writer (Fuzz/FuzzNotebook.swift) with libFuzzer
# and AddressSanitizer for FUZZ_SECONDS (default 60): read -> write -> read must agree and
# canonical bytes must be a fixed point.
#
#   scripts/fuzz.sh                 build, then fuzz for $FUZZ_SECONDS
#   FUZZ_SECONDS=600 FUZZ_JOBS=2 scripts/fuzz.sh
#   scripts/fuzz.sh CRASH-FILE...   build, then replay the given inputs once each
#
# The target is Sources/Notebook/*.swift plus the entry point compiled as ONE module with
# swiftc (Package.swift is not involved). Seeds come from Fuzz/corpus and the kept crash
# inputs, Tests/NotebookTests/Corpus/fuzz-regressions (neither is ever written to);
# new inputs go to a scratch corpus, $FUZZ_WORK/corpus (default .build-fuzz/corpus), and a
# failing input is saved under $FUZZ_WORK/artifacts. Keep a crash as a regression test in
# Tests/NotebookTests/Corpus/fuzz-regressions/.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFTC="${SWIFTC:-swiftc}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
FUZZ_WORK="${FUZZ_WORK:-.build-fuzz}"
binary="$FUZZ_WORK/fuzz-notebook"

scripts/ensure-deps.sh
mkdir -p "$FUZZ_WORK/corpus" "$FUZZ_WORK/artifacts"

# Rebuild when a source is newer than the binary.
sources=(Sources/Notebook/*.swift Fuzz/FuzzNotebook.swift)
rebuild=0
if [ ! -x "$binary" ]; then rebuild=1; else
    for source in "${sources[@]}"; do
        if [ "$source" -nt "$binary" ]; then rebuild=1; break; fi
    done
fi
if [ "$rebuild" = 1 ]; then
    echo "fuzz: building $binary" >&2
    linker=()
    # lld links the sanitizer runtimes without gold's flood of harmless warnings.
    if "$SWIFTC" -use-ld=lld -version >/dev/null 2>&1; then linker=(-use-ld=lld); fi
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -module-name NotebookFuzz \
        "${sources[@]}" -I Sources/CJansson $(pkg-config --cflags-only-I jansson | sed 's/-I/-Xcc -I/g') \
        $(pkg-config --libs jansson) -O -g "${linker[@]}" -o "$binary"
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}"

if [ "$#" -gt 0 ]; then
    echo "fuzz: replaying $# input(s)" >&2
    exec "$binary" -runs=1 "$@"
fi

work="$(cd "$FUZZ_WORK" && pwd)"
root="$(pwd)"
log="$work/fuzz.log"
seeds=("$root/Fuzz/corpus" "$root/Tests/NotebookTests/Corpus/fuzz-regressions")
options=(-dict="$root/Fuzz/notebook.dict" -max_len=16384 -timeout=10 -rss_limit_mb=4096
         -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -artifact_prefix="$work/artifacts/")
echo "fuzz: ${FUZZ_SECONDS}s, $FUZZ_JOBS job(s); seeds Fuzz/corpus + fuzz-regressions, new inputs $FUZZ_WORK/corpus, log $log" >&2
before=$(ls "$work/artifacts" | wc -l)
status=0
if [ "$FUZZ_JOBS" -gt 1 ]; then
    # Parallel workers share the scratch corpus; each writes fuzz-N.log in the cwd.
    rm -f "$work"/fuzz-[0-9]*.log
    (cd "$work" && "$work/fuzz-notebook" "${options[@]}" -jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS" \
        "$work/corpus" "${seeds[@]}") >"$log" 2>&1 || status=$?
else
    "$work/fuzz-notebook" "${options[@]}" "$work/corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
fi

grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" >&2 || true
after=$(ls "$work/artifacts" | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    grep -E -A15 'FuzzNotebook:|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|Fatal error' "$log" | head -60 >&2 || true
    echo "fuzz: FAILED (exit $status); inputs in $FUZZ_WORK/artifacts:" >&2
    ls -t "$FUZZ_WORK/artifacts" | head >&2
    echo "fuzz: replay with scripts/fuzz.sh $FUZZ_WORK/artifacts/FILE" >&2
    exit 1
fi
echo "fuzz: OK, no crash in ${FUZZ_SECONDS}s ($(ls "$FUZZ_WORK/corpus" | wc -l) inputs in the scratch corpus)" >&2
