#!/bin/sh
# Builds the libFuzzer targets (clang, -DMIGRATIONDESK_FUZZ=ON, in build-fuzz beside build/) if needed and
# runs every fuzz_<what> for SECONDS each (default 60) on a copy of its seed corpus, one after another.
# Fails on the first crash, leak, sanitizer report or broken invariant; libFuzzer writes the input as
# crash-*/leak-*/timeout-* under $BUILD_DIR/fuzz-findings/<what>/. Copy it into tests/fuzz/corpus/<what>/
# (tst_fuzzcorpus replays it in every build) and fix the code. Prints each target's last stats line
# (executions, cov: and ft:).
#   tests/fuzz/run.sh 600
#   TARGETS="csv revision" JOBS=1 tests/fuzz/run.sh 60
set -eu

seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$src/build-fuzz}
targets=${TARGETS:-"script sqlsplitter connection revision csv"}
CXX=${CXX:-clang++-14}
export CXX

if [ ! -f "$build/build.ninja" ]; then
    # -O1 -g: fast enough to fuzz, and the crash stacks stay readable.
    cmake -S "$src" -B "$build" -G Ninja -DMIGRATIONDESK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
fi
# shellcheck disable=SC2046 # the target list is meant to split
cmake --build "$build" --target $(for t in $targets; do printf 'fuzz_%s ' "$t"; done)

# Qt's and libpq's one-time allocations (caches, the codec registry) are still reachable at exit;
# only real leaks count. UBSan: any undefined behaviour ends the run with a stack.
ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}"
UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS UBSAN_OPTIONS

status=0
for t in $targets; do
    work="$build/fuzz-corpus/$t"
    findings="$build/fuzz-findings/$t"
    log="$build/fuzz-logs/$t.log"
    mkdir -p "$work" "$findings" "$(dirname "$log")"
    # New inputs go to the working copy; the seeds in the source tree stay as they are.
    if "$build/fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$src/tests/fuzz/corpus/$t" >"$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log; the input is in $findings/)"
        status=1
    fi
    stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    echo "fuzz_$t: $result; ${runs:-?} executions; last: $stats"
    [ "$status" -eq 0 ] || break
done
exit $status
