#!/usr/bin/env bash
# test.sh - `make test`: builds plain and sanitizer binaries, starts a throwaway PostgreSQL,
# runs every suite (unit tests, API tests on SQLite and PostgreSQL under ASan+UBSan, the
# libFuzzer targets for a short fixed time each, the HTTP fuzzer with a fixed seed and count,
# browser tests of the booking pages) and ends with one line "N passed, N failed" summed over
# all suites.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
JOBS=$(nproc 2>/dev/null || echo 2)
LOG=$(mktemp -d /tmp/bookd-test.XXXXXX)
PGDIR="$LOG/pg"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export BOOKD_RATE_LIMITS=off

step() { printf '\n== %s\n' "$*"; }
fail_build() { echo "$*"; echo "0 passed, 1 failed"; exit 1; }

step "web build"
bash scripts/web-build.sh || fail_build "web build failed"

step "build (plain and ASan+UBSan)"
make -s -j"$JOBS" build/bookd build/unit-tests build/tools/icsdump || fail_build "plain build failed"
make -s -j"$JOBS" SAN=1 build/san/bookd build/san/unit-tests || fail_build "sanitizer build failed"
make -s -j"$JOBS" fuzz-build || fail_build "fuzz build failed"

step "lint"
if bash scripts/lint.sh; then echo "lint: 1 passed, 0 failed" | tee "$LOG/lint.out"; else echo "lint: 0 passed, 1 failed" | tee "$LOG/lint.out"; fi

step "PostgreSQL test cluster"
PG_URL=$(bash scripts/pg-test-cluster.sh start "$PGDIR") || fail_build "could not start PostgreSQL"
trap 'bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1; rm -rf "$LOG"' EXIT
echo "$PG_URL"

run_suite() { # name, command...
	local name=$1
	shift
	step "$name"
	"$@" 2>&1 | tee "$LOG/$name.out" | grep -vE '^(ok |ts=)' || true
	if ! grep -qE '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' "$LOG/$name.out"; then
		echo "$name: 0 passed, 1 failed (the suite did not finish)" | tee -a "$LOG/$name.out"
	fi
}

run_suite unit env BOOKD_SUITE=unit BOOKD_TEST_PG_URL="$PG_URL" build/unit-tests
run_suite unit-san env BOOKD_SUITE=unit-san BOOKD_TEST_PG_URL="$PG_URL" build/san/unit-tests
export BOOKD_ICSDUMP="$PWD/build/tools/icsdump"
run_suite api-sqlite env BOOKD_BIN="$PWD/build/san/bookd" $PY tests/api/run.py sqlite
run_suite api-postgres env BOOKD_BIN="$PWD/build/san/bookd" $PY tests/api/run.py postgres "$PG_URL"
# Each libFuzzer target for 15 s from its seed corpus (make fuzz runs them long).
run_suite fuzz bash scripts/fuzz.sh --seconds 15
# Every route of the running sanitizer build, valid requests mutated; fixed seed and count.
run_suite http-fuzz env BOOKD_BIN="$PWD/build/san/bookd" $PY tests/fuzz/http_fuzz.py --seed 1 --requests 2500
# Browser tests (Debian's chromium) against the plain build, which holds web/dist: without a
# built web app, node or chromium the suite fails, never passes.
run_suite web env BOOKD_BIN="$PWD/build/bookd" node web/tests/run.mjs

step "summary"
passed=0
failed=0
for f in "$LOG"/*.out; do
	line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$f" | tail -1)
	[ -n "$line" ] || continue
	echo "  $line"
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	q=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
