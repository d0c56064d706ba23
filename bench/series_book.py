"""series_book.py - series.book.52w_ms: booking a 52-week series with the `skip` policy over
HTTP (the request's answer, so its commit), median of 10 series, on SQLite (and on
PostgreSQL when a URL is given: series.book.52w_ms.postgres).

One provider open every weekday 08:00-18:00 with a year of advance; every fifth week of
each series' time is taken beforehand, so skip has refusals to explain (42 booked, 10
skipped, each with the engine's reason).

usage: series_book.py BOOKD_BINARY WORK_DIR [POSTGRES_URL]
"""
import datetime
import json
import os
import statistics
import sys
import time
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "api"))
os.environ["BOOKD_BIN"] = os.path.abspath(sys.argv[1])

import harness  # noqa: E402

RUNS = 10
LONDON = ZoneInfo("Europe/London")


def local(d, hour):
    """RFC 3339 of a London wall time on date d."""
    return datetime.datetime(d.year, d.month, d.day, hour, tzinfo=LONDON).isoformat()


def main():
    work = sys.argv[2]
    pg = sys.argv[3] if len(sys.argv) > 3 else None
    doc = {
        "business": {"slug": "bench", "name": "Bench", "timezone": "Europe/London", "currency": "EUR"},
        "providers": [{"id": "ann", "name": "Ann"}],
        "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 900,
                      "max_advance_s": 400 * 86400, "providers": ["ann"]}],
        "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                      for d in ("mon", "tue", "wed", "thu", "fri")],
    }
    path = os.path.join(work, "series.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    db = pg or "sqlite:" + os.path.join(work, "series.db")
    harness.bookd("import", "--db", db, "--file", path)
    srv = harness.Server(db, env={"BOOKD_RATE_LIMITS": "off"})
    c = srv.client
    try:
        monday = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
        took = []
        for i in range(RUNS):
            day = monday + datetime.timedelta(days=i % 5)
            hour = 8 + 2 * (i // 5)
            # Every fifth week's occurrence taken by someone else first.
            for w in range(0, 52, 5):
                d = day + datetime.timedelta(weeks=w)
                r = c.post("/api/v1/public/bench/bookings", body={
                    "service": "cut", "start": local(d, hour),
                    "customer": {"name": "Other", "email": "o%d-%d@bench.test" % (i, w)}})
                assert r.status in (201, 409), r
            start = local(day, hour)
            t0 = time.monotonic()
            r = c.post("/api/v1/public/bench/series", body={
                "service": "cut", "start": start, "policy": "skip",
                "repeat": {"every_weeks": 1, "count": 52},
                "customer": {"name": "Series", "email": "s%d@bench.test" % i}})
            took.append((time.monotonic() - t0) * 1000)
            assert r.status == 201 and r.json["booked"] == 41, r
        name = "series.book.52w_ms" + (".postgres" if pg else "")
        print("bench %s %.1f ms" % (name, statistics.median(took)))
    finally:
        srv.stop()
        srv.cleanup()


if __name__ == "__main__":
    main()
