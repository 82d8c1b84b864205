#!/bin/sh
# Builds a sanitizer tree beside the normal one and runs tests under it; CI runs both modes (README).
#   tests/sanitize.sh                      # thread: tst_workerthreads, the lazy model, runner, trash, concurrency
#   SANITIZE=address,undefined tests/sanitize.sh   # every unit and database test (tests/unit, tests/db)
#   BUILD_DIR=/tmp/md-tsan TESTS="tst_runner" tests/sanitize.sh
# Under address,undefined the GUI tests (tests/gui) and tst_translations are left out: they need the
# widgets library and the desktop app built with ASan too, which doubles the build for code paths that
# the core's tests already cover (tst_translations only compares message catalogues).
# Qt and libpq are not instrumented, so ThreadSanitizer reads tests/tsan.supp (every line there names a
# frame inside Qt or libpq, with the reason). Prints one line per test with its report count and exits
# non-zero if any test failed or any report was printed.
# The compiler is g++ unless CXX says otherwise: clang 14's TSan runtime aborts ("CHECK failed ...
# ForkAfter") when Qt starts a process through clone(), which every database test does (the fixture runs
# initdb and psql with QProcess); GCC 12's runtime does not.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
sanitize=${SANITIZE:-thread}
build=${BUILD_DIR:-$src/build-$(echo "$sanitize" | tr ',' '-')}
case $sanitize in
*address*)
    default_tests=$(cd "$src/tests" && ls unit/tst_*.cpp db/tst_*.cpp | sed 's|.*/||; s|\.cpp$||' | grep -v '^tst_translations$')
    ;;
*)
    default_tests="tst_workerthreads tst_lazytablemodel tst_runner tst_trashstore tst_trashview tst_concurrency"
    ;;
esac
tests=${TESTS:-$default_tests}
CXX=${CXX:-g++}
export CXX

# -O1: the instrumented build is slow to compile at -O2, and -O1 keeps the reports' stacks whole.
cmake -S "$src" -B "$build" -G Ninja -DMIGRATIONDESK_SANITIZE="$sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
# shellcheck disable=SC2086 # the test list is meant to split
cmake --build "$build" --target $tests

# ignore_noninstrumented_modules: accesses that Qt and glib make through intercepted calls (free, memset,
# write, pthread_*_destroy) are ordered by their own uninstrumented locks; our code is checked in full.
# die_after_fork=0: QProcess's child runs only until exec(); TSan would otherwise end it at its first thread.
TSAN_OPTIONS="suppressions=$src/tests/tsan.supp ignore_noninstrumented_modules=1 die_after_fork=0 second_deadlock_stack=1 history_size=4 ${TSAN_OPTIONS:-}"
# LeakSanitizer is on: tests/lsan.supp names the few one-time allocations inside uninstrumented system
# libraries (each line says why); a leak with one of our frames is never suppressed, it is fixed.
ASAN_OPTIONS="detect_leaks=1 strict_string_checks=1 detect_stack_use_after_return=1 ${ASAN_OPTIONS:-}"
LSAN_OPTIONS="suppressions=$src/tests/lsan.supp print_suppressions=0 ${LSAN_OPTIONS:-}"
UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"
QT_QPA_PLATFORM=offscreen
export TSAN_OPTIONS ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS QT_QPA_PLATFORM

logs="$build/sanitize-logs"
mkdir -p "$logs"
rm -f "$logs"/*.exit
# JOBS tests at a time (default 2 under address, which the database tests tolerate as ctest -j2 does;
# 1 under thread, whose shadow memory is large). Each writes its log and exit code; the summary follows.
case $sanitize in *address*) jobs=${JOBS:-2} ;; *) jobs=${JOBS:-1} ;; esac
export build logs
# shellcheck disable=SC2016,SC2086 # expanded by the inner shell; the test list is meant to split
printf '%s\n' $tests | xargs -P "$jobs" -I{} sh -c \
    '"$build/$1" >"$logs/$1.log" 2>&1; echo $? >"$logs/$1.exit"' sh {}
status=0
for t in $tests; do
    log="$logs/$t.log"
    code=$(cat "$logs/$t.exit" 2>/dev/null || echo missing)
    if [ "$code" = 0 ]; then result=passed; else result="FAILED (exit $code)"; status=1; fi
    reports=$(grep -c -E '^(WARNING: ThreadSanitizer|==[0-9]+==ERROR: (AddressSanitizer|LeakSanitizer)|.*runtime error:)' "$log" || true)
    [ "$reports" -eq 0 ] || status=1
    echo "$t: $result, $reports sanitizer report(s) ($log)"
    # CI keeps only stdout, so a failure's evidence is printed here: the reports and the failed checks.
    if [ "$code" != 0 ] || [ "$reports" -ne 0 ]; then
        echo "---- $t: failed checks and sanitizer reports ----"
        grep -n -E '^(FAIL!|   Loc:|QFATAL)' "$log" | head -40 || true
        sed -n '/^\(WARNING: ThreadSanitizer\|==[0-9]*==ERROR\|.*runtime error:\)/,/^SUMMARY/p' "$log" | head -120
        echo "---- last lines of $t ----"
        tail -n 15 "$log"
        echo "----"
    fi
done
exit $status
