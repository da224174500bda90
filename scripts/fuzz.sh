#!/usr/bin/env bash
# Fuzzes the notebook reader and canonical writer with libFuzzer and AddressSanitizer for
# FUZZ_SECONDS (default 60). Targets (Fuzz/*.swift), run side by side:
#   notebook  read -> write -> read agree; canonical bytes are a fixed point (FuzzNotebook.swift)
#   split     the two-thread split parse equals the whole-file parse (FuzzSplitParse.swift;
#             only when Sources/Notebook/Internals/SplitParse.swift exists)
#   rules     a notebook and its comparison rules together: patterns, masks, budgets, the
#             line diff (FuzzRules.swift, over Engine's Compare files)
#
#   scripts/fuzz.sh                        build, then fuzz every target for $FUZZ_SECONDS
#   FUZZ_SECONDS=600 FUZZ_TARGETS=notebook FUZZ_JOBS=2 scripts/fuzz.sh
#   scripts/fuzz.sh CRASH-FILE...          build, then replay the inputs on every target
#
# Each target is Sources/Notebook/**/*.swift (with Sources/PythonRepr) plus its entry file compiled as ONE module with
# swiftc (Package.swift is not involved); `rules` is its entry file with Sources/Engine/Compare
# (but RuleBook and NotebookComparison, which need the registry) over Notebook built as a module
# of its own. Seeds are the test corpus, Tests/NotebookTests/Corpus (roundtrip/, bad/,
# hostile/ and the kept crash inputs in fuzz-regressions/; never written to); new
# inputs go to scratch corpora under $FUZZ_WORK (default .build-fuzz), a failing input to
# $FUZZ_WORK/artifacts. Keep a crash as a regression test in
# Tests/NotebookTests/Corpus/fuzz-regressions/ (FuzzRegressionTests.swift reads them).
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFTC="${SWIFTC:-swiftc}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_JOBS="${FUZZ_JOBS:-1}"
FUZZ_WORK="${FUZZ_WORK:-.build-fuzz}"

scripts/ensure-deps.sh
mkdir -p "$FUZZ_WORK/artifacts"
work="$(cd "$FUZZ_WORK" && pwd)"
root="$(pwd)"

entry() {
    case "$1" in
        notebook) echo Fuzz/FuzzNotebook.swift ;;
        split) echo Fuzz/FuzzSplitParse.swift ;;
        rules) echo Fuzz/FuzzRules.swift ;;
        *) echo "fuzz: unknown target $1 (notebook, split, rules)" >&2; exit 2 ;;
    esac
}
if [ -n "${FUZZ_TARGETS:-}" ]; then
    read -r -a targets <<<"$FUZZ_TARGETS"
else
    targets=(notebook)
    if [ -f Sources/Notebook/Internals/SplitParse.swift ]; then targets+=(split); fi
    targets+=(rules)
fi

# Build each target whose binary is missing or older than a source.
linker=()
# lld links the sanitizer runtimes without gold's flood of harmless warnings.
if "$SWIFTC" -use-ld=lld -version >/dev/null 2>&1; then linker=(-use-ld=lld); fi
# Notebook imports SystemCalls (the libc layer): built first as a module and an object of its own.
mapfile -t system_sources < <(find Sources/SystemCalls -name '*.swift' | sort)
system_stamp="$work/SystemCalls.o"
rebuild_system=0
if [ ! -f "$system_stamp" ]; then rebuild_system=1; else
    for source in "${system_sources[@]}"; do
        if [ "$source" -nt "$system_stamp" ]; then rebuild_system=1; break; fi
    done
fi
if [ "$rebuild_system" = 1 ]; then
    echo "fuzz: building $FUZZ_WORK/SystemCalls.o" >&2
    "$SWIFTC" -sanitize=address -parse-as-library -module-name SystemCalls -emit-module \
        -emit-module-path "$work/SystemCalls.swiftmodule" -c -wmo "${system_sources[@]}" -O -g -o "$system_stamp"
fi
jansson_includes=(-I Sources/CJansson $(pkg-config --cflags-only-I jansson | sed 's/-I/-Xcc -I/g'))
# Notebook's own dependency (PythonRepr) joins its module; its imports are conditional.
mapfile -t notebook_sources < <(find Sources/Notebook Sources/PythonRepr -name '*.swift' | sort)
# `rules` imports Notebook: built as a module and an object of its own, instrumented too.
notebook_object="$work/Notebook.o"
rebuild_notebook=0
if [[ " ${targets[*]} " == *" rules "* ]]; then
    if [ ! -f "$notebook_object" ] || [ "$system_stamp" -nt "$notebook_object" ]; then rebuild_notebook=1; else
        for source in "${notebook_sources[@]}"; do
            if [ "$source" -nt "$notebook_object" ]; then rebuild_notebook=1; break; fi
        done
    fi
fi
if [ "$rebuild_notebook" = 1 ]; then
    echo "fuzz: building $FUZZ_WORK/Notebook.o" >&2
    # shellcheck disable=SC2046
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -module-name Notebook -emit-module \
        -emit-module-path "$work/Notebook.swiftmodule" -c -wmo "${notebook_sources[@]}" -I "$work" \
        "${jansson_includes[@]}" -O -g -o "$notebook_object"
fi
mapfile -t compare_sources < <(find Sources/Engine/Compare -name '*.swift' \
    ! -name RuleBook.swift ! -name NotebookComparison.swift | sort)
for target in "${targets[@]}"; do
    binary="$work/fuzz-$target"
    if [ "$target" = rules ]; then
        sources=("${compare_sources[@]}" Fuzz/FuzzSupport.swift "$(entry "$target")")
        objects=("$system_stamp" "$notebook_object")
        module=RulesFuzz
    else
        sources=("${notebook_sources[@]}" Fuzz/FuzzSupport.swift "$(entry "$target")")
        objects=("$system_stamp")
        module=NotebookFuzz
    fi
    for object in "${objects[@]}"; do
        if [ "$object" -nt "$binary" ]; then rm -f "$binary"; fi
    done
    rebuild=0
    if [ ! -x "$binary" ]; then rebuild=1; else
        for source in "${sources[@]}"; do
            if [ "$source" -nt "$binary" ]; then rebuild=1; break; fi
        done
    fi
    if [ "$rebuild" = 1 ]; then
        echo "fuzz: building $FUZZ_WORK/fuzz-$target" >&2
        # shellcheck disable=SC2046
        "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -module-name "$module" \
            "${sources[@]}" -I "$work" "${objects[@]}" "${jansson_includes[@]}" \
            $(pkg-config --libs jansson) -O -g "${linker[@]}" -o "$binary"
    fi
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}"

if [ "$#" -gt 0 ]; then
    status=0
    for target in "${targets[@]}"; do
        echo "fuzz: replaying $# input(s) on $target" >&2
        "$work/fuzz-$target" -runs=1 "$@" || status=1
    done
    exit "$status"
fi

corpus_root="$root/Tests/NotebookTests/Corpus"
seeds=("$corpus_root/roundtrip" "$corpus_root/bad" "$corpus_root/hostile" "$corpus_root/fuzz-regressions")
echo "fuzz: ${FUZZ_SECONDS}s each for ${targets[*]} (side by side), $FUZZ_JOBS job(s) each; scratch $FUZZ_WORK" >&2
before=$(ls "$work/artifacts" | wc -l)
pids=()
for target in "${targets[@]}"; do
    corpus="$work/corpus-$target"
    mkdir -p "$corpus"
    options=(-dict="$root/Fuzz/notebook.dict" -max_len=16384 -timeout=10 -rss_limit_mb=4096
             -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-")
    if [ "$FUZZ_JOBS" -gt 1 ]; then
        # Parallel workers share the scratch corpus; each writes fuzz-N.log in its cwd.
        mkdir -p "$work/jobs-$target"
        (cd "$work/jobs-$target" && rm -f fuzz-[0-9]*.log &&
            exec "$work/fuzz-$target" "${options[@]}" -jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS" "$corpus" "${seeds[@]}") \
            >"$work/fuzz-$target.log" 2>&1 &
    else
        "$work/fuzz-$target" "${options[@]}" "$corpus" "${seeds[@]}" >"$work/fuzz-$target.log" 2>&1 &
    fi
    pids+=($!)
done

failed=0
for index in "${!targets[@]}"; do
    target="${targets[$index]}"
    status=0
    wait "${pids[$index]}" || status=$?
    log="$work/fuzz-$target.log"
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{sum += $2} END {print sum + 0}')
    peak=$(grep -E '^stat::peak_rss_mb' "$log" | awk '{if ($2 > max) max = $2} END {print max + 0}')
    if [ "$status" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|^Fuzz[A-Za-z]+: ' "$log"; then
        grep -E -A15 '^Fuzz[A-Za-z]+: |ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|Fatal error' "$log" | head -60 >&2 || true
        echo "fuzz: $target FAILED (exit $status) after $runs runs; log $log" >&2
        failed=1
    else
        echo "fuzz: $target ok: $runs runs in ${FUZZ_SECONDS}s, peak RSS ${peak} MB, $(ls "$work/corpus-$target" | wc -l) inputs in its scratch corpus" >&2
    fi
done
after=$(ls "$work/artifacts" | wc -l)
if [ "$failed" = 1 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz: FAILED; new inputs in $FUZZ_WORK/artifacts:" >&2
    ls -t "$work/artifacts" | head -n $((after - before > 0 ? after - before : 5)) >&2
    echo "fuzz: replay with scripts/fuzz.sh $FUZZ_WORK/artifacts/FILE" >&2
    exit 1
fi
echo "fuzz: OK, no crash (${targets[*]}; ${FUZZ_SECONDS}s each)" >&2
