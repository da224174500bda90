#!/usr/bin/env bash
# Checks that reading, formatting, running and writing notebooks leaks no memory: runs the
# release nbrun over a few notebooks (a generated ~5 MB one included, when nbformat is
# available to generate it) under valgrind, and fails on any definite leak or memory error.
#
#   scripts/leaks.sh                      valgrind (installed with apt-get when missing)
#   LEAKS_TOOL=lsan scripts/leaks.sh      LeakSanitizer: an -sanitize=address build instead
#   LEAKS_TOOL=both scripts/leaks.sh
#   NBRUN=path/to/nbrun scripts/leaks.sh  check that binary instead of building one (valgrind)
#
# Builds go to their own scratch folders (.build-leaks, .build-lsan); logs to $LEAKS_WORK
# (default .build-leaks/logs). Exit 0 and "leaks: OK" only when every run is clean.
set -euo pipefail
cd "$(dirname "$0")/.."

LEAKS_TOOL="${LEAKS_TOOL:-valgrind}"
LEAKS_WORK="${LEAKS_WORK:-.build-leaks/logs}"
BIG_CELLS="${BIG_CELLS:-1000}"
SWIFT="${SWIFT:-swift}"

scripts/ensure-deps.sh
rm -rf "$LEAKS_WORK"
mkdir -p "$LEAKS_WORK"
work="$(cd "$LEAKS_WORK" && pwd)"

# --- inputs -------------------------------------------------------------------------------
inputs=(
    Tests/NotebookTests/Corpus/roundtrip/course-reference.ipynb
    Tests/NotebookTests/Corpus/roundtrip/outputs-rich.ipynb
    Tests/NotebookTests/Corpus/roundtrip/attachments.ipynb
    Tests/NotebookTests/Corpus/roundtrip/long-lines.ipynb
)
python=""
for candidate in "${NBRUN_PYTHON:-}" .venv/bin/python python3; do
    if [ -n "$candidate" ] && "$candidate" -c 'import nbformat' >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [ -n "$python" ]; then
    "$python" scripts/gen-big-notebook.py "$work/big.ipynb" --cells "$BIG_CELLS"
    # Not canonical (compact JSON), so fmt has real work to do.
    "$python" -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"))' \
        "$work/big.ipynb" "$work/big-compact.ipynb"
    inputs+=("$work/big.ipynb" "$work/big-compact.ipynb")
else
    echo "leaks: nbformat not found (make pyenv), so no generated big notebook" >&2
fi
bad=(Tests/NotebookTests/Corpus/bad/truncated.ipynb Tests/NotebookTests/Corpus/bad/deep-nesting.ipynb
     Tests/NotebookTests/Corpus/bad/unknown-output-type.ipynb)

# Each line: the exit status nbrun itself must give, then its arguments.
commands=()
for input in "${inputs[@]}"; do commands+=("0 fmt -o $work/out.ipynb $input"); done
commands+=("0 list ${inputs[0]}")
for input in "${bad[@]}"; do commands+=("1 fmt -o $work/out.ipynb $input"); done
if [ -f notebooks/02-threads.ipynb ]; then
    commands+=("0 -o $work/run.ipynb --seed 1 notebooks/02-threads.ipynb")
fi

failures=0
runs=0

# --- valgrind -----------------------------------------------------------------------------
check_valgrind() {
    local binary="$1"
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "leaks: installing valgrind" >&2
        local sudo=""
        if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind >/dev/null
    fi
    local index=0
    for line in "${commands[@]}"; do
        local expected="${line%% *}" arguments="${line#* }"
        index=$((index + 1))
        local log="$work/valgrind-$index.log"
        local status=0
        # A memory error or definite leak exits 99, apart from nbrun's own 0/1/2.
        # shellcheck disable=SC2086
        valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
            --error-exitcode=99 --log-file="$log" "$binary" $arguments >/dev/null 2>"$work/stderr-$index" || status=$?
        runs=$((runs + 1))
        local lost errors
        lost=$(grep -Eo 'definitely lost: [0-9,]+ bytes' "$log" | grep -Eo '[0-9,]+' | tr -d , || true)
        errors=$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$' || true)
        if [ "$status" = 99 ] || [ "${lost:-0}" != 0 ] || [ "${errors:-0}" != 0 ]; then
            echo "leaks: FAIL valgrind nbrun $arguments: definitely lost ${lost:-0} bytes, ${errors:-?} errors (log $log)" >&2
            grep -E -A12 'definitely lost in|Invalid (read|write)|uninitialised' "$log" | head -40 >&2 || true
            failures=$((failures + 1))
        elif [ "$status" != "$expected" ]; then
            echo "leaks: FAIL nbrun $arguments exited $status, expected $expected:" >&2
            head -3 "$work/stderr-$index" >&2
            failures=$((failures + 1))
        else
            echo "leaks: ok   valgrind nbrun $arguments (exit $status, definitely lost 0 bytes)" >&2
        fi
    done
}

# --- LeakSanitizer ------------------------------------------------------------------------
check_lsan() {
    echo "leaks: building nbrun with AddressSanitizer/LeakSanitizer (.build-lsan)" >&2
    "$SWIFT" build -c release --sanitize=address --product nbrun --scratch-path .build-lsan >"$work/lsan-build.log" 2>&1 \
        || { tail -20 "$work/lsan-build.log" >&2; echo "leaks: FAILED to build with --sanitize=address" >&2; exit 1; }
    local binary
    binary="$("$SWIFT" build -c release --sanitize=address --scratch-path .build-lsan --show-bin-path)/nbrun"
    local index=0
    for line in "${commands[@]}"; do
        local expected="${line%% *}" arguments="${line#* }"
        index=$((index + 1))
        local status=0
        # shellcheck disable=SC2086
        ASAN_OPTIONS="detect_leaks=1:exitcode=99" "$binary" $arguments >/dev/null 2>"$work/lsan-$index.log" || status=$?
        runs=$((runs + 1))
        if [ "$status" = 99 ] || grep -q 'ERROR: \(LeakSanitizer\|AddressSanitizer\)' "$work/lsan-$index.log"; then
            echo "leaks: FAIL lsan nbrun $arguments (log $work/lsan-$index.log)" >&2
            grep -E -A12 'ERROR: |SUMMARY' "$work/lsan-$index.log" | head -40 >&2 || true
            failures=$((failures + 1))
        elif [ "$status" != "$expected" ]; then
            echo "leaks: FAIL nbrun $arguments exited $status, expected $expected" >&2
            head -3 "$work/lsan-$index.log" >&2
            failures=$((failures + 1))
        else
            echo "leaks: ok   lsan nbrun $arguments (exit $status)" >&2
        fi
    done
}

case "$LEAKS_TOOL" in
    valgrind|both)
        binary="${NBRUN:-}"
        if [ -z "$binary" ]; then
            echo "leaks: building release nbrun (.build-leaks)" >&2
            "$SWIFT" build -c release --product nbrun --scratch-path .build-leaks >"$work/build.log" 2>&1 \
                || { tail -20 "$work/build.log" >&2; echo "leaks: FAILED to build nbrun" >&2; exit 1; }
            binary="$("$SWIFT" build -c release --scratch-path .build-leaks --show-bin-path)/nbrun"
        fi
        check_valgrind "$binary"
        ;;&
    lsan|both)
        check_lsan
        ;;
    valgrind) ;;
    *)
        echo "leaks: LEAKS_TOOL must be valgrind, lsan or both" >&2
        exit 2
        ;;
esac

if [ "$failures" -gt 0 ]; then
    echo "leaks: FAILED: $failures of $runs runs leaked, had memory errors or exited wrongly (logs in $LEAKS_WORK)" >&2
    exit 1
fi
echo "leaks: OK: $runs runs ($LEAKS_TOOL), no definite leaks, no memory errors" >&2
