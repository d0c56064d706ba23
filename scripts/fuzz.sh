#!/usr/bin/env bash
# fuzz.sh - runs every libFuzzer target of fuzz/ (built by `make FUZZ=1`, ASan and UBSan in)
# for a fixed time each, starting from its seed corpus fuzz/corpus/NAME (read only: what a run
# finds goes to a scratch folder), and optionally the HTTP fuzzer against a running sanitizer
# build. Prints one line per target with its executions, appends them to build/fuzz/runs.log,
# and ends with "fuzz: N passed, N failed" (and "http-fuzz: ..." when it ran).
#
#   bash scripts/fuzz.sh [--seconds N] [--targets "api config ..."] [--http-requests N]
#                        [--http-seed N] [--keep DIR]
# A crash leaves its input in DIR (default a temporary folder, printed) as crash-NAME-*:
# replay it with build/fuzz/fuzz-bin/fuzz_NAME FILE.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=15
TARGETS=""
HTTP_REQUESTS=0
HTTP_SEED=1
KEEP=""
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECONDS_EACH=$2; shift 2 ;;
	--targets) TARGETS=$2; shift 2 ;;
	--http-requests) HTTP_REQUESTS=$2; shift 2 ;;
	--http-seed) HTTP_SEED=$2; shift 2 ;;
	--keep) KEEP=$2; shift 2 ;;
	*) echo "fuzz.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
if [ -z "$TARGETS" ]; then
	TARGETS=$(ls fuzz/fuzz_*.c | sed 's|fuzz/fuzz_\(.*\)\.c|\1|' | tr '\n' ' ')
fi
WORK=${KEEP:-$(mktemp -d /tmp/bookd-fuzz.XXXXXX)}
mkdir -p "$WORK" build/fuzz
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}

passed=0
failed=0
total=0
for t in $TARGETS; do
	bin=build/fuzz/fuzz-bin/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "fuzz-$t: not built ($bin; make FUZZ=1 $bin)"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$WORK/corpus-$t"
	log="$WORK/$t.log"
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -max_len=16384 -timeout=20 \
		-rss_limit_mb=2048 -artifact_prefix="$WORK/crash-$t-" "$WORK/corpus-$t" \
		"fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
	execs=${execs:-0}
	total=$((total + execs))
	if [ $rc -eq 0 ]; then
		result=ok
		passed=$((passed + 1))
	else
		result=FAILED
		failed=$((failed + 1))
		grep -E 'ERROR|SUMMARY|^fuzz[_a-z]*:|runtime error|#[0-9]+ 0x.* (src|fuzz)/' "$log" | head -30
		ls "$WORK"/crash-"$t"-* 2>/dev/null
	fi
	printf 'fuzz-%s: %s, %s executions in %ss, corpus %s+%s inputs\n' "$t" "$result" "$execs" \
		"$SECONDS_EACH" "$(ls "fuzz/corpus/$t" | wc -l)" "$(ls "$WORK/corpus-$t" | wc -l)"
	printf '%s %s %ss %s %s\n' "$(date -u +%FT%TZ)" "$t" "$SECONDS_EACH" "$execs" "$result" \
		>>build/fuzz/runs.log
done
echo "fuzz: $total executions in all (log: $WORK)"
echo "fuzz: $passed passed, $failed failed"

if [ "$HTTP_REQUESTS" -gt 0 ]; then
	BOOKD_BIN=${BOOKD_BIN:-$PWD/build/san/bookd} /usr/bin/python3 tests/fuzz/http_fuzz.py \
		--seed "$HTTP_SEED" --requests "$HTTP_REQUESTS"
fi
[ -z "$KEEP" ] && [ "$failed" -eq 0 ] && rm -rf "$WORK"
[ "$failed" -eq 0 ]
