"""caldav_round.py - one CalDAV sync round against a real Radicale whose calendar holds 500
events (450 single ones, 50 weekly ones in a zone given by TZID), printed as `bench NAME
VALUE UNIT`:

  calsync.caldav.round_ms              a full round (sync-collection from no token: every
                                       object's data, parsed, expanded, busy time written),
                                       the median of 5 (each asked for with .../resync)
  calsync.caldav.round_incremental_ms  a round with one event changed since the last
                                       (sync-collection with the token), the median of 5

bookd writes each round's duration in its log (round_ms=...); that is what is read.

Usage: /usr/bin/python3 bench/caldav_round.py BOOKD_BINARY WORK_DIR
"""
import os
import re
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))
os.environ["BOOKD_BIN"] = os.path.abspath(sys.argv[1])

import harness  # noqa: E402
import radicale  # noqa: E402
import staff  # noqa: E402

WORK = sys.argv[2]
N = 500
RUNS = 5
PW = "a long enough password"


class Ctx:
    pass


def event(i, shift=0):
    day = 1 + (i + shift) % 28
    if i < 450:
        when = "DTSTART:202604%02dT%02d0000Z\r\nDTEND:202604%02dT%02d3000Z" % (day, 8 + i % 9, day, 8 + i % 9)
    else:
        when = ("DTSTART;TZID=Europe/Berlin:202604%02dT%02d0000\r\nDTEND;TZID=Europe/Berlin:202604%02dT%02d3000\r\n"
                "RRULE:FREQ=WEEKLY;COUNT=13" % (day, 8 + i % 9, day, 8 + i % 9))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//bench//EN\r\nBEGIN:VEVENT\r\n"
            "UID:bench-%d\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Event %d\r\n%s\r\nEND:VEVENT\r\n"
            "END:VCALENDAR\r\n" % (i, i, when))


def rounds(srv):
    return [float(m) for m in re.findall(r"round_ms=([0-9.]+)", srv.read_log())]


def wait_rounds(srv, n):
    deadline = time.time() + 120
    while time.time() < deadline:
        if len(rounds(srv)) >= n:
            return rounds(srv)
        time.sleep(0.02)
    raise SystemExit("bench caldav_round: no round logged\n" + srv.read_log()[-2000:])


def main():
    os.makedirs(WORK, exist_ok=True)
    dav = radicale.Radicale({"ann": "bench-pw"})
    srv = None
    try:
        col = dav.mkcalendar("ann", "work")
        for i in range(N):
            st, _, body = dav.put("ann", "%sev-%d.ics" % (col, i), event(i))
            assert st == 201, body
        ctx = Ctx()
        ctx.db_url = "sqlite:" + os.path.join(WORK, "caldav.db")
        ctx.servers = []
        harness.import_doc(ctx.db_url, {
            "business": {"slug": "cb", "name": "CalDAV bench", "timezone": "Europe/London", "currency": "EUR"},
            "providers": [{"id": "ann", "name": "Ann"}],
            "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "providers": ["ann"]}],
            "schedules": [{"owner": "business", "weekday": "mon", "start": "09:00", "end": "17:00"}]})
        staff.make_user(ctx, "cb", "o@cb.test", "owner", PW)
        srv = harness.Server(ctx.db_url, test_clock="2026-03-30T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})
        ctx.srv = srv
        o = staff.login(ctx, "cb", "o@cb.test", PW)
        r = o.post(o.path("/calendar-connections"), body={
            "kind": "caldav", "url": dav.url + col, "username": "ann", "password": "bench-pw",
            "provider_id": "ann", "push": False, "poll_interval_s": 3600})
        assert r.status == 201, r
        cid = r.json["id"]
        got = wait_rounds(srv, 1)
        busy = o.get(o.path("/calendar-connections/" + cid)).json["health"]["busy_count"]
        print("bench_caldav_round: %d events, %d busy intervals, first round %.1f ms" % (N, busy, got[0]),
              file=sys.stderr)
        full = []
        for k in range(RUNS):
            assert o.post(o.path("/calendar-connections/%s/resync" % cid)).status == 202
            full.append(wait_rounds(srv, 2 + k)[-1])
        inc = []
        clock = 0
        for k in range(RUNS):
            st, _, _ = dav.put("ann", "%sev-%d.ics" % (col, k), event(k, shift=k + 1))
            assert st in (200, 201, 204), st
            clock += 2  # past the hour's poll interval: the next round is due
            h = harness.Client(srv.port)
            assert h.post("/api/v1/test/clock", body={"now": "2026-03-30T%02d:00:00Z" % (6 + clock)}).status == 200
            h.close()
            inc.append(wait_rounds(srv, 2 + RUNS + k)[-1])
        print("bench calsync.caldav.round_ms %.1f ms" % statistics.median(full))
        print("bench calsync.caldav.round_incremental_ms %.1f ms" % statistics.median(inc))
    finally:
        if srv:
            srv.stop()
        dav.close()


if __name__ == "__main__":
    main()
