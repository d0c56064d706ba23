#!/usr/bin/python3
"""pg_round_trips.py - statements a public booking sends to PostgreSQL (each one a round
trip), counted from the server's statement log for a fresh database.

    pg_round_trips.py PGURL [BOOKD] [N]

PGURL names a superuser's database on a throwaway cluster (scripts/pg-test-cluster.sh);
a database of the run's own is made there and dropped after. BOOKD defaults to
build/bookd, N (bookings, one after another) to 40. Prints "bench NAME VALUE UNIT" lines:
booking.pg.statements_per_booking, and how many of them are pg_notify calls. The worker
threads are idle (no SMTP, the clock held), so the log holds the bookings' statements and
the workers' polls, whose transactions are told apart by their statements and left out.
PG_ROUND_TRIPS_SHOW=1 lists the statements of the booking transaction on stderr.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "api"))
import harness  # noqa: E402

FIXTURE = {
    "business": {"slug": "rt", "name": "RT", "timezone": "UTC", "currency": "EUR"},
    "providers": [{"id": "p%d" % i, "name": "P%d" % i} for i in range(4)],
    "services": [{"id": "s", "name": "S", "duration_s": 60, "slot_interval_s": 60,
                  "providers": ["p%d" % i for i in range(4)]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
CLOCK = "2031-01-06T00:00:00Z"


def psql(url, sql):
    return subprocess.run(["psql", "-q", "-X", "-A", "-t", "-d", url, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def log_path(url):
    data = psql(url, "SHOW data_directory")
    return os.path.join(os.path.dirname(data), "log")


# Statements of the background workers (their polls, and the reminder planner's): a
# transaction holding one of them is the workers', not a booking's.
WORKER = ("FROM calendar_connections k WHERE kind IN", "UPDATE calendar_connections SET lease_until", "UPDATE payments SET next_attempt_at", "SET status = 'expired'",
          "SET status = 'no_show'", "SET status = 'completed'", "DELETE FROM idempotency_keys",
          "FROM waitlist_entries e", "service_group_rules g", "reminder_offsets <> '[]'",
          "remind_next", "UPDATE notifications SET status = 'sending'", "FROM login_failures",
          "FROM oauth_states", "FROM staff_sessions WHERE expires_at")


def counted(url, fn):
    """Statements the requests sent while fn runs (the workers' transactions left out),
    how many of them were pg_notify calls, and the statements of one booking."""
    path = log_path(url)
    with open(path, errors="replace") as f:
        f.seek(0, 2)
        fn()
        time.sleep(0.5)
        text = f.read()
    units, open_ = [], {}
    for line in text.splitlines():
        m = re.search(r"\[(\d+)\] LOG:  (?:statement|execute [^:]*): (.*)$", line)
        if not m:
            continue
        pid, sql = m.groups()
        if sql.strip() == "BEGIN":
            open_[pid] = [sql]
        elif pid in open_:
            open_[pid].append(sql)
            if sql.strip() in ("COMMIT", "ROLLBACK"):
                units.append(open_.pop(pid))
        else:
            units.append([sql])
    mine = [u for u in units if not any(w in q for q in u for w in WORKER)]
    stmts = [q for u in mine for q in u]
    # One booking's statements: the last booking transaction and what its request read
    # before it and notified after it (the statements of its pid from the one before).
    one = []
    for i in range(len(mine) - 1, -1, -1):
        if any("INSERT INTO bookings" in q for q in mine[i]):
            j = i
            while j > 0 and not any("INSERT INTO bookings" in q for q in mine[j - 1]):
                j -= 1
            k = i + 1
            while k < len(mine) and len(mine[k]) == 1 and "pg_notify" in mine[k][0]:
                k += 1
            one = [q for u in mine[j:k] for q in u]
            break
    return len(stmts), sum(1 for q in stmts if "pg_notify" in q), one


def main():
    url = sys.argv[1]
    os.environ["BOOKD_BIN"] = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(harness.ROOT, "build", "bookd")
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    db = "rt_%d" % os.getpid()
    psql(url, "CREATE DATABASE %s" % db)
    u = urllib.parse.urlparse(url)
    dburl = urllib.parse.urlunparse(u._replace(path="/" + db))
    srv = None
    try:
        harness.import_doc(dburl, FIXTURE)
        srv = harness.Server(dburl, test_clock=CLOCK, env={"BOOKD_RATE_LIMITS": "off"})
        c = srv.client
        t0 = 1925686800  # 2031-01-09T01:00:00Z: three days ahead, as bookings usually are
        psql(url, "ALTER DATABASE %s SET log_min_messages = 'log'" % db)
        psql(url, "ALTER DATABASE %s SET log_statement = 'all'" % db)
        # New sessions pick the settings up: a restart opens the pool again.
        srv.stop()
        srv.cleanup()
        srv = harness.Server(dburl, test_clock=CLOCK, env={"BOOKD_RATE_LIMITS": "off"})
        c = srv.client
        c.get("/api/v1/public/rt/services")  # warm: catalogue, prepared state
        warm = c.post("/api/v1/public/rt/bookings", body={"service": "s", "start": "2031-01-08T00:30:00Z",
                                                           "customer": {"name": "W", "email": "w@rt.example"}})
        assert warm.status == 201, warm

        def book():
            for i in range(n):
                start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + 60 * i))
                r = c.post("/api/v1/public/rt/bookings", body={
                    "service": "s", "start": start,
                    "customer": {"name": "C %d" % i, "email": "c%d@rt.example" % i}})
                assert r.status == 201, r

        total, notes, one = counted(url, book)
        print("bench booking.pg.statements_per_booking %.1f statements" % (total / n))
        print("bench booking.pg.notify_per_booking %.1f calls" % (notes / n))
        if os.environ.get("PG_ROUND_TRIPS_SHOW"):
            for q in one:
                print("  " + q[:160], file=sys.stderr)
    finally:
        if srv:
            srv.stop()
            srv.cleanup()
        psql(url, "DROP DATABASE IF EXISTS %s WITH (FORCE)" % db)


if __name__ == "__main__":
    main()
