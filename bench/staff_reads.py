"""staff_reads.py - the staff dashboard's read figures on SQLite or PostgreSQL, printed as
`bench NAME VALUE UNIT` (on PostgreSQL the names end in `.postgres`): staff.bookings.list.p95_ms (GET .../bookings on a business with 100 000 bookings:
date range and status, a provider's week, the customer text search with and without
dates, cursor pages) and staff.calendar.day.ms (GET .../calendar for one day of 12
providers holding 200 bookings, the median).

The 100 000 rows go in through SQL in one statement batch (sqlite3, or psql COPY), not the
API.

Usage: /usr/bin/python3 bench/staff_reads.py BOOKD_BINARY WORK_DIR [POSTGRES_URL]
"""
import csv
import http.client
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse

BIN, WORK = sys.argv[1], sys.argv[2]
PG = sys.argv[3] if len(sys.argv) > 3 else None
N = 100000
PER_DAY = 200
PROVIDERS = ["p%02d" % i for i in range(12)]
DB = PG or "sqlite:" + os.path.join(WORK, "staff.db")
SUFFIX = ".postgres" if PG else ""
COLUMNS = ("business_id, id, reference, service_id, provider_id, start_at, end_at, busy_start, busy_end, status,"
           " customer_name, customer_email, customer_phone, source, price_minor, currency, created_at, updated_at")
NAMES = ["Smith", "Jones", "Patel", "Garcia", "Nguyen", "Kowalski", "Müller", "Rossi", "Silva", "Okafor"]


def run(*args, stdin=None):
    return subprocess.run([BIN] + list(args), input=stdin, capture_output=True, text=True, check=True)


def setup():
    doc = {
        "business": {"slug": "bench", "name": "Bench", "timezone": "Europe/London", "currency": "EUR"},
        "providers": [{"id": p, "name": "Provider %s" % p} for p in PROVIDERS],
        "services": [{"id": "s30", "name": "Thirty", "duration_s": 1800, "slot_interval_s": 1800,
                      "providers": PROVIDERS}],
        "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                      for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
    }
    path = os.path.join(WORK, "staff.json")
    json.dump(doc, open(path, "w"))
    run("import", "--db", DB, "--file", path)
    run("user", "add", "--db", DB, "--business", "bench", "--email", "o@bench.test",
        "--role", "owner", stdin="bench password\n")
    biz = sql_one("SELECT id FROM businesses WHERE slug = 'bench'")
    day0 = int(time.time()) // 86400 * 86400 - 250 * 86400  # half in the past, half ahead
    rows = []
    statuses = ["confirmed"] * 7 + ["completed", "cancelled", "pending"]
    for i in range(N):
        day, k = divmod(i, PER_DAY)
        start = day0 + day * 86400 + 8 * 3600 + (k // len(PROVIDERS)) * 1800 % (12 * 3600)
        name = "%s %s %d" % (NAMES[i % len(NAMES)], NAMES[(i // 7) % len(NAMES)], i)
        rows.append((biz, "bk%07d" % i, "B%03d-%04d" % (i // 10000, i % 10000), "s30", PROVIDERS[k % len(PROVIDERS)],
                     start, start + 1800, start, start + 1800, statuses[i % len(statuses)], name,
                     "c%d@example.com" % i, "+44 7700 %06d" % i, "web", 3000, "EUR", start - 86400, start - 86400))
    if PG:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", "-d", PG, "-c",
                        "COPY bookings (%s) FROM STDIN WITH (FORMAT csv)" % COLUMNS],
                       input=out.getvalue(), text=True, check=True, capture_output=True)
        # What autovacuum does after a load this size anyway, done now rather than mid-run.
        subprocess.run(["psql", "-q", "-X", "-d", PG, "-c", "ANALYZE"], check=True, capture_output=True)
    else:
        con = sqlite3.connect(DB[len("sqlite:"):])
        con.executemany("INSERT INTO bookings (%s) VALUES (%s)" % (COLUMNS, ",".join("?" * 18)), rows)
        con.commit()
        con.close()
    return day0


def sql_one(q):
    if PG:
        return subprocess.run(["psql", "-q", "-X", "-A", "-t", "-d", PG, "-c", q], capture_output=True, text=True,
                              check=True).stdout.strip()
    con = sqlite3.connect(DB[len("sqlite:"):])
    try:
        return con.execute(q).fetchone()[0]
    finally:
        con.close()


def main():
    day0 = setup()
    log = open(os.path.join(WORK, "serve.log"), "w+")
    srv = subprocess.Popen([BIN, "serve", "--db", DB, "--listen", "127.0.0.1:0"], stderr=log,
                           env=dict(os.environ, BOOKD_RATE_LIMITS="off"))
    try:
        port = None
        for _ in range(200):
            log.seek(0)
            m = re.search(r"listening on http://[^ ]*:(\d+)", log.read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.05)
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("POST", "/api/v1/auth/login", json.dumps({"business": "bench", "email": "o@bench.test",
                                                             "password": "bench password"}),
                  {"Content-Type": "application/json"})
        r = c.getresponse()
        cookie = r.getheader("Set-Cookie").split(";")[0]
        r.read()

        def get(path):
            t0 = time.perf_counter()
            c.request("GET", path, headers={"Cookie": cookie})
            r = c.getresponse()
            body = r.read()
            ms = (time.perf_counter() - t0) * 1000
            if r.status != 200:
                raise SystemExit("bench: %s answered %d %s" % (path, r.status, body[:200]))
            return ms, json.loads(body)

        def date(days):
            return time.strftime("%Y-%m-%d", time.gmtime(day0 + days * 86400))

        base = "/api/v1/businesses/bench/bookings?"
        queries = [
            {"from": date(240), "to": date(270), "status": "confirmed,pending"},
            {"from": date(250), "to": date(256), "provider": "p03"},
            {"q": "kowalski"},
            {"q": "7700 0123"},
            {"from": date(100), "to": date(400), "q": "garcia rossi"},
            {"status": "cancelled", "limit": "200"},
            {},
        ]
        times = []
        per = {}
        for _ in range(10):
            for i, q in enumerate(queries):
                ms, page = get(base + urllib.parse.urlencode(q))
                times.append(ms)
                per.setdefault(i, []).append(ms)
                if page.get("next_cursor"):  # the next page too, as "show more" asks
                    ms, _ = get(base + urllib.parse.urlencode(dict(q, cursor=page["next_cursor"])))
                    times.append(ms)
                    per.setdefault(i, []).append(ms)
        if os.environ.get("BENCH_VERBOSE"):
            for i, q in enumerate(queries):
                print("  %-70s median %.1f ms, max %.1f ms" % (urllib.parse.urlencode(q), sorted(per[i])[len(per[i]) // 2], max(per[i])), file=sys.stderr)
        times.sort()
        print("bench staff.bookings.list.p95_ms%s %.1f ms" % (SUFFIX, times[int(len(times) * 0.95) - 1]))
        day = []
        for i in range(15):
            ms, cal = get("/api/v1/businesses/bench/calendar?from=" + date(250 + i))
            assert len(cal["bookings"]) >= PER_DAY - 20 and len(cal["bookables"]) == len(PROVIDERS), len(cal["bookings"])
            day.append(ms)
        day.sort()
        print("bench staff.calendar.day.ms%s %.1f ms" % (SUFFIX, day[len(day) // 2]))
    finally:
        srv.terminate()
        srv.wait()


if __name__ == "__main__":
    main()
