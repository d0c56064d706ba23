#!/usr/bin/env bash
# bench.sh - `make bench`: prints one line per figure, "bench NAME VALUE UNIT". Figures, not
# pass/fail: the machine is shared, so HTTP figures are ratios measured within one run.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/bookd-bench.XXXXXX)
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$TMP"' EXIT
SRV=

for b in build/bench/*; do
	case $b in */bench_insert) continue ;; esac # run by bench-booking.sh, beside its ratio
	[ -x "$b" ] && "$b"
done

# The HTTP figures: one server, one business with 5 providers, a week of availability.
$PY - "$TMP/bench.json" <<'PYEOF'
import json, sys
days = ("mon", "tue", "wed", "thu", "fri")
provs = ["p%d" % i for i in range(5)]
provs20 = ["p%d" % i for i in range(20)]
doc = {
    "business": {"slug": "bench", "name": "Bench", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": p, "name": "Provider %s" % p} for p in provs20],
    "services": [{"id": "s30", "name": "Thirty", "duration_s": 1800, "slot_interval_s": 900,
                  "providers": provs},
                 {"id": "s20", "name": "Twenty", "duration_s": 1800, "slot_interval_s": 900,
                  "providers": provs20}],
    "schedules": [{"owner": "business", "weekday": d, "start": s, "end": e}
                  for d in days for s, e in (("09:00", "12:00"), ("13:00", "17:00"))],
}
json.dump(doc, open(sys.argv[1], "w"))
PYEOF
DB="sqlite:$TMP/bench.db"
build/bookd import --db "$DB" --file "$TMP/bench.json" >/dev/null
BOOKD_RATE_LIMITS=off build/bookd serve --db "$DB" --listen 127.0.0.1:0 2>"$TMP/log" &
SRV=$!
for _ in $(seq 100); do
	PORT=$(grep -o 'listening on http://[^ ]*:[0-9]*' "$TMP/log" | grep -o '[0-9]*$')
	[ -n "$PORT" ] && break
	sleep 0.05
done
BASE="http://127.0.0.1:$PORT"
# The real clock: the answer is recomputed whenever "now" moves to the next second.
FROM=$(date -u -d tomorrow +%F)
TO=$(date -u -d '+7 days' +%F)
AVAIL="$BASE/api/v1/public/bench/availability?service=s30&from=$FROM&to=$TO"
curl -sf "$AVAIL" >/dev/null || { echo "bench: availability endpoint failed"; exit 1; }

rps() { # url -> requests per second (wrk, 2 threads, 32 connections, 5 s); non-2xx is fatal
	local out
	out=$(wrk -t2 -c32 -d5s "$1" 2>/dev/null)
	if grep -q "Non-2xx" <<<"$out"; then
		echo "bench: $1 answered errors: $(grep Non-2xx <<<"$out")" >&2
		echo 0
		return
	fi
	awk '/Requests\/sec/ {print $2}' <<<"$out"
}
cheap_health=$(rps "$BASE/healthz")
cheap_profile=$(rps "$BASE/api/v1/public/bench")
avail=$(rps "$AVAIL")
cheap=$(echo "$cheap_health $cheap_profile" | awk '{print ($1 > $2) ? $1 : $2}')
echo "bench availability.http.rps $avail req/s"
echo "bench availability.http.cheapest_rps $cheap req/s"
echo "bench availability.http.ratio $(echo "$avail $cheap" | awk '{printf "%.3f", $1 / $2}') ratio"

# Questions as customers ask them: each request another first date (of 60) and client zone,
# 7 days each, for 5 and 20 providers; the day cache serves what an earlier question computed.
DAY0=$(( $(date -u +%s) / 86400 + 1 ))
avail_rps() { # path days -> requests per second over varied questions; non-2xx is fatal
	local out
	out=$(BENCH_PATH="$1" BENCH_DAY0=$DAY0 BENCH_DAYS=$2 \
		wrk -t2 -c32 -d5s -s bench/avail.lua "$BASE" 2>/dev/null)
	if ! grep -q "avail-result.*non2xx=0" <<<"$out" || grep -q "Non-2xx" <<<"$out"; then
		echo "bench: $1 answered errors: $(grep -E 'avail-result|Non-2xx' <<<"$out")" >&2
		echo 0
		return
	fi
	awk '/Requests\/sec/ {print $2}' <<<"$out"
}
for p in 5 20; do
	svc=s30
	[ $p = 20 ] && svc=s20
	r=$(avail_rps "/api/v1/public/bench/availability?service=$svc" 7)
	echo "bench availability.http.varied.${p}p.7d.ratio $(echo "$r $cheap" | awk '{printf "%.3f", $1 / $2}') ratio"
done
peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' /proc/$SRV/status)
echo "bench availability.http.peak_rss $peak MiB"

kill $SRV 2>/dev/null
wait $SRV 2>/dev/null
SRV=

# Uncached: a server without the cache (--cache-bytes 0) computes every answer; the questions
# vary as above, for 5 and 20 providers over 7 and 30 days.
BOOKD_RATE_LIMITS=off build/bookd serve --db "$DB" --listen 127.0.0.1:0 --cache-bytes 0 \
	2>"$TMP/log2" &
SRV=$!
PORT=
for _ in $(seq 100); do
	PORT=$(grep -o 'listening on http://[^ ]*:[0-9]*' "$TMP/log2" | grep -o '[0-9]*$')
	[ -n "$PORT" ] && break
	sleep 0.05
done
BASE="http://127.0.0.1:$PORT"
for p in 5 20; do
	svc=s30
	[ $p = 20 ] && svc=s20
	for d in 7 30; do
		r=$(avail_rps "/api/v1/public/bench/availability?service=$svc" $d)
		echo "bench availability.http.uncached.${p}p.${d}d.rps $r req/s"
		echo "bench availability.http.uncached.${p}p.${d}d.ratio $(echo "$r $cheap" | awk '{printf "%.3f", $1 / $2}') ratio"
		[ $p$d = 57 ] && head=$r
	done
done
# The headline: 5 providers, a week.
echo "bench availability.http.uncached.ratio $(echo "$head $cheap" | awk '{printf "%.3f", $1 / $2}') ratio"
peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' /proc/$SRV/status)
echo "bench availability.http.uncached.peak_rss $peak MiB"
kill $SRV 2>/dev/null
wait $SRV 2>/dev/null
SRV=
bash scripts/bench-booking.sh
bash scripts/bench-web.sh
# A freed seat's offer: cancellation answered to the offer email in the SMTP sink.
mkdir -p "$TMP/waitlist"
$PY bench/waitlist_offer.py build/bookd "$TMP/waitlist"
# A 52-week series booked with the skip policy (series.book.52w_ms).
mkdir -p "$TMP/series"
$PY bench/series_book.py build/bookd "$TMP/series"
# One CalDAV sync round against Radicale holding 500 events (full, and with one change).
mkdir -p "$TMP/caldav"
$PY bench/caldav_round.py build/bookd "$TMP/caldav"

# Bookings through the paid path (pending, checkout, signed webhook) against the unpaid one.
mkdir -p "$TMP/paid"
$PY bench/booking_paid.py build/bookd "$TMP/paid"
# The staff dashboard's reads: 100 000 bookings listed and searched, a 12-provider day.
mkdir -p "$TMP/staff"
$PY bench/staff_reads.py build/bookd "$TMP/staff"
# The same on PostgreSQL, in a throwaway cluster (figures named ….postgres).
if PG_URL=$(bash scripts/pg-test-cluster.sh start "$TMP/pg"); then
	mkdir -p "$TMP/staff-pg"
	$PY bench/staff_reads.py build/bookd "$TMP/staff-pg" "$PG_URL"
	mkdir -p "$TMP/series-pg"
	$PY bench/series_book.py build/bookd "$TMP/series-pg" "$PG_URL"
	bash scripts/pg-test-cluster.sh stop "$TMP/pg"
else
	echo "bench: no PostgreSQL cluster, staff reads on PostgreSQL skipped" >&2
fi

# The soak: SOAK_SECONDS (default 600) of mixed load with 200 live-event clients.
mkdir -p "$TMP/soak"
$PY bench/soak.py build/bookd "$TMP/soak"
