#!/usr/bin/env bash
# bench-booking.sh - the booking-creation benchmark: successful bookings (HTTP 201) per second
# over HTTP at 1 and 32 connections, on SQLite and on PostgreSQL, each run on a fresh
# database; the raw SQLite insert-transaction rate (build/bench/bench_insert) on the same
# filesystem; and their ratio. Prints "bench NAME VALUE UNIT" lines on stdout, diagnostics
# on stderr. Needs build/bookd and build/bench/bench_insert (make build/bookd
# build/bench/bench_insert).
#
# Every request books a distinct free slot (bench/booking.lua): a 60-second service on a
# 60-second grid, open all day every day, 32 providers, the server's clock held by
# --test-clock so the slots are in the future whatever the real date. The walk spreads the
# bookings over 360 days (BENCH_DAYS=1 packs them minute after minute instead).
#
# A booking reads only the bookings near its slot, so the rate hardly depends on how many
# are stored; still, compare runs of equal length (BENCH_BOOKING_SECONDS, default 6).
#
# The ratio (HTTP bookings at 32 connections over raw insert transactions) is measured in
# BENCH_BOOKING_ROUNDS (default 7) short interleaved rounds (BENCH_BOOKING_ROUND_SECONDS,
# default 2, for each side): the raw insert loop on a fresh database, then a wrk run against
# a fresh server and database, in the same folder, so both sides of one round's ratio see
# the same machine (the box is shared: its fsync latency moves from one minute to the
# next, and the single-connection insert loop, bound by it, swings twofold where the group
# commit of 32 connections hardly moves). The figures are the medians of the rounds;
# ….ratio.min is the worst round. Each round also runs the inserts as bookings are committed
# (32 threads through the group-commit writer, bench_insert DIR SECONDS 32):
# booking.insert.sqlite.c32 and booking.create.sqlite.ratio_grouped, the HTTP figure over it.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
BUILD_DIR=${BENCH_BUILD_DIR:-build} # a developer's own build folder may be named here
BOOKD=$BUILD_DIR/bookd
INSERT=$BUILD_DIR/bench/bench_insert
LUA=bench/booking.lua
DUR=${BENCH_BOOKING_SECONDS:-6}    # seconds of wrk per run
ROUNDS=${BENCH_BOOKING_ROUNDS:-7}  # interleaved rounds of raw insert and HTTP at 32 connections
ROUND_DUR=${BENCH_BOOKING_ROUND_SECONDS:-2} # seconds of each side of a round
CLOCK=2031-01-06T00:00:00Z         # the server's "now" (a Monday)
T0=$(date -u -d 2031-01-06T01:00:00Z +%s) # the first start booked: an hour after "now"
PROVIDERS=32
MTOKEN=bench-metrics-token-0123456789 # /metrics on the bench servers, for the log's pages

for f in "$BOOKD" "$INSERT"; do
	[ -x "$f" ] || { echo "bench-booking: $f is missing (make build/bookd build/bench/bench_insert)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "bench-booking: wrk is not installed" >&2; exit 1; }

TMP=$(mktemp -d /tmp/bookd-bb.XXXXXX)
SRV=
PGDIR=
cleanup() {
	if [ -n "$SRV" ]; then
		kill "$SRV" 2>/dev/null
		wait "$SRV" 2>/dev/null
	fi
	[ -n "$PGDIR" ] && bash scripts/pg-test-cluster.sh stop "$PGDIR" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The fixture: one business in UTC, open 00:00-24:00 every day, a 60-second service on a
# 60-second grid bookable from now to a year ahead, 32 providers.
$PY - "$TMP/business.json" "$PROVIDERS" <<'PYEOF'
import json, sys
provs = ["p%d" % i for i in range(int(sys.argv[2]))]
doc = {
    "business": {"slug": "bench", "name": "Bench", "timezone": "UTC", "currency": "EUR"},
    "providers": [{"id": p, "name": "Provider %s" % p} for p in provs],
    "services": [{"id": "s60", "name": "Sixty seconds", "kind": "appointment",
                  "duration_s": 60, "slot_interval_s": 60, "min_notice_s": 0,
                  "max_advance_s": 365 * 86400, "providers": provs}],
    "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
json.dump(doc, open(sys.argv[1], "w"))
PYEOF

# start_server DBURL LOG: imports the fixture into DBURL, starts bookd on a free port; sets
# SRV and BASE. Returns 1 (with the log's tail on stderr) when it does not come up.
start_server() {
	local url=$1 log=$2 port= i
	"$BOOKD" import --db "$url" --file "$TMP/business.json" >"$log.import" 2>&1 || {
		echo "bench-booking: import into $url failed: $(tail -n 3 "$log.import")" >&2
		return 1
	}
	BOOKD_RATE_LIMITS=off "$BOOKD" serve --db "$url" --listen 127.0.0.1:0 \
		--test-clock "$CLOCK" --metrics-token "$MTOKEN" 2>"$log" &
	SRV=$!
	for i in $(seq 200); do
		port=$(grep -o 'listening on http://[^ ]*:[0-9]*' "$log" | grep -o '[0-9]*$')
		[ -n "$port" ] && break
		kill -0 "$SRV" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$port" ]; then
		echo "bench-booking: bookd did not start on $url: $(tail -n 3 "$log")" >&2
		stop_server
		return 1
	fi
	BASE="http://127.0.0.1:$port"
}

stop_server() {
	[ -n "$SRV" ] || return 0
	kill "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
	SRV=
}

# wal_pages: the server's SQLite log pages written so far (bookd_sqlite_wal_pages_total).
wal_pages() {
	curl -s -H "Authorization: Bearer $MTOKEN" "$BASE/metrics" |
		awk '/^bookd_sqlite_wal_pages_total / {print $2}'
}

# serve NAME DBURL CONNECTIONS: a fresh server on DBURL (a fresh database), proven to book
# by one booking outside the walk (the year's last days). Returns 1 when it does not.
serve() {
	local name=$1 url=$2 conns=$3 code
	start_server "$url" "$TMP/$name.c$conns.log" || return 1
	code=$(curl -s -o "$TMP/check" -w '%{http_code}' -H 'Content-Type: application/json' \
		-d '{"service":"s60","start":"2032-01-05T12:00:00Z","provider":"p0","customer":{"name":"Check","email":"check@bench.example"}}' \
		"$BASE/api/v1/public/bench/bookings")
	if [ "$code" != 201 ]; then
		echo "bench-booking: $name: a first booking answered $code: $(head -c 300 "$TMP/check")" >&2
		stop_server
		return 1
	fi
}

# walk NAME CONNECTIONS SECONDS SHIFT: one wrk run against the server started by serve, the
# walk's starts moved SHIFT seconds later (runs on one server whose shifts are 10 minutes
# apart never meet); sets RATE to the bookings/s and PAGES to the log pages per
# booking (SQLite), empty on failure; prints errors and diagnostics on stderr.
walk() {
	local name=$1 conns=$2 secs=$3 shift=$4 threads out line
	RATE=
	PAGES=
	threads=$((conns < 2 ? 1 : 2))
	local wal0 wal1
	wal0=$(wal_pages)
	out=$(BENCH_T0=$((T0 + shift)) BENCH_PROVIDERS=$PROVIDERS BENCH_THREADS=$threads BENCH_STEP=60 \
		BENCH_BUSINESS=bench BENCH_SERVICE=s60 BENCH_DAYS=${BENCH_DAYS:-360} \
		wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$LUA" "$BASE" 2>&1)
	wal1=$(wal_pages)
	line=$(grep '^booking-result ' <<<"$out")
	if [ -z "$line" ]; then
		echo "bench-booking: $name c$conns: wrk gave no result: $out" >&2
		return 1
	fi
	# booking-result duration_us=D requests=N s201=A s409=B sother=C sockerr=E p50_us p99_us first_other=...
	local dur ok c409 other sock p50 p99 first
	dur=$(grep -o 'duration_us=[0-9]*' <<<"$line" | cut -d= -f2)
	ok=$(grep -o 's201=[0-9]*' <<<"$line" | cut -d= -f2)
	c409=$(grep -o 's409=[0-9]*' <<<"$line" | cut -d= -f2)
	other=$(grep -o 'sother=[0-9]*' <<<"$line" | cut -d= -f2)
	sock=$(grep -o 'sockerr=[0-9]*' <<<"$line" | cut -d= -f2)
	p50=$(grep -o 'p50_us=[0-9]*' <<<"$line" | cut -d= -f2)
	p99=$(grep -o 'p99_us=[0-9]*' <<<"$line" | cut -d= -f2)
	first=${line#*first_other=}
	RATE=$(awk -v n="$ok" -v d="$dur" 'BEGIN {printf "%.0f", n / (d / 1e6)}')
	if [ "$name" = sqlite ] && [ -n "$wal0" ] && [ -n "$wal1" ] && [ "$ok" -gt 0 ]; then
		# What a booking costs the disk: pages its commit adds to the log (a group commit
		# shares the pages it rewrites between the bookings it holds).
		PAGES=$(awk -v a="$wal0" -v b="$wal1" -v n="$ok" 'BEGIN {printf "%.2f", (b - a) / n}')
	fi
	local bad=$((c409 + other + sock))
	if [ "$bad" -gt 0 ]; then
		echo "bench booking.create.$name.c$conns.errors $bad count"
		echo "bench-booking: $name c$conns: $c409 x 409, $other other statuses, $sock socket errors; first: $first" >&2
	fi
	echo "bench-booking: $name c$conns: $ok bookings in $((dur / 1000)) ms, latency p50 $((p50 / 1000)) ms p99 $((p99 / 1000)) ms" >&2
}

# run NAME DBURL CONNECTIONS: one run of DUR seconds on a fresh server and database.
run() {
	RATE=
	PAGES=
	serve "$@" || return 1
	walk "$1" "$3" "$DUR" 0
	stop_server
}

# report NAME CONNECTIONS: the figures of the last run (RATE, PAGES).
report() {
	[ -n "$RATE" ] || return 0
	echo "bench booking.create.$1.c$2 $RATE bookings/s"
	[ -n "$PAGES" ] && echo "bench booking.pages_per_booking.c$2 $PAGES pages"
	return 0
}

# median: the median of the numbers on stdin, one a line (empty when none).
median() {
	sort -g | awk '{v[NR] = $1} END {if (NR) printf "%g\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# SQLite at one connection: one run.
run sqlite "sqlite:$TMP/c1.db" 1
report sqlite 1
# SQLite at 32 connections beside the raw insert floor on the same filesystem, in rounds of
# ROUND_DUR seconds a side: the insert loop on a fresh database, then a walk on a fresh
# server and database. Each side starts on a quiet disk: a server that stops has copied its
# log into the database (a server left running would do it, a hundred megabytes, during the
# next insert loop).
: >"$TMP/inserts" && : >"$TMP/c32" && : >"$TMP/c32pages" && : >"$TMP/ratios"
: >"$TMP/grouped" && : >"$TMP/gratios"
for r in $(seq "$ROUNDS"); do
	insert_rate=$("$INSERT" "$TMP" "$ROUND_DUR" | awk '{print $3}')
	grouped_rate=$("$INSERT" "$TMP" "$ROUND_DUR" 32 | awk '{print $3}')
	RATE=
	if serve sqlite "sqlite:$TMP/c32.r$r.db" 32; then
		walk sqlite 32 "$ROUND_DUR" 0
		stop_server
	fi
	rm -f "$TMP/c32.r$r.db" "$TMP/c32.r$r.db-wal" "$TMP/c32.r$r.db-shm"
	if [ -z "$insert_rate" ] || [ -z "$RATE" ]; then
		echo "bench-booking: round $r: no figure (insert '$insert_rate', HTTP '$RATE')" >&2
		continue
	fi
	echo "$insert_rate" >>"$TMP/inserts"
	echo "$RATE" >>"$TMP/c32"
	[ -n "$PAGES" ] && echo "$PAGES" >>"$TMP/c32pages"
	ratio=$(awk -v a="$RATE" -v b="$insert_rate" 'BEGIN {printf "%.3f", a / b}')
	echo "$ratio" >>"$TMP/ratios"
	if [ -n "$grouped_rate" ]; then
		echo "$grouped_rate" >>"$TMP/grouped"
		awk -v a="$RATE" -v b="$grouped_rate" 'BEGIN {printf "%.3f\n", a / b}' >>"$TMP/gratios"
	fi
	echo "bench-booking: round $r: insert $insert_rate tx/s (grouped c32 $grouped_rate rows/s), HTTP c32 $RATE bookings/s, ratio $ratio" >&2
done
if [ -s "$TMP/ratios" ]; then
	echo "bench booking.insert.sqlite $(median <"$TMP/inserts") tx/s"
	echo "bench booking.create.sqlite.c32 $(median <"$TMP/c32") bookings/s"
	[ -s "$TMP/c32pages" ] && echo "bench booking.pages_per_booking.c32 $(median <"$TMP/c32pages") pages"
	echo "bench booking.create.sqlite.ratio $(median <"$TMP/ratios") ratio"
	echo "bench booking.create.sqlite.ratio.min $(sort -g "$TMP/ratios" | head -n 1) ratio"
fi
if [ -s "$TMP/gratios" ]; then
	# The same inserts committed as bookings are, 32 threads through the group-commit writer,
	# and the HTTP figure over it: how far a booking is from a bare row at equal batching.
	echo "bench booking.insert.sqlite.c32 $(median <"$TMP/grouped") rows/s"
	echo "bench booking.create.sqlite.ratio_grouped $(median <"$TMP/gratios") ratio"
fi

# PostgreSQL: a throwaway cluster, one fresh database per run.
PGDIR=$TMP/pg
# Durable like the SQLite runs: fsync and synchronous_commit on (PostgreSQL's defaults).
if PGURL=$(PG_DURABLE=1 bash scripts/pg-test-cluster.sh start "$PGDIR" 2>"$TMP/pg-start.log"); then
	for conns in 1 32; do
		if psql "$PGURL" -XAtq -c "CREATE DATABASE bench_c$conns" >/dev/null 2>"$TMP/psql.log"; then
			run postgres "${PGURL%/*}/bench_c$conns" "$conns"
			report postgres "$conns"
		else
			echo "bench-booking: CREATE DATABASE failed: $(cat "$TMP/psql.log")" >&2
		fi
	done
else
	echo "bench-booking: no PostgreSQL cluster: $(tail -n 3 "$TMP/pg-start.log")" >&2
fi
