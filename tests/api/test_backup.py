"""`bookd backup` and `bookd restore`: a backup taken while bookings are being written holds
every booking acknowledged before it began, and restores into a working database."""
import datetime
import json
import os
import sqlite3
import tempfile
import threading
import time

import harness

FIXTURE = {
    "business": {"slug": "bk", "name": "Backup Salon", "timezone": "UTC"},
    "providers": [{"id": "p%d" % i, "name": "P%d" % i} for i in range(4)],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "max_advance_s": 200 * 86400, "providers": ["p%d" % i for i in range(4)]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
NOW = "2026-06-01T06:00:00Z"


def setup(ctx):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(FIXTURE, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    os.unlink(path)


def starts():
    day = datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.timezone.utc)
    for d in range(150):
        for k in range(20):
            for _ in range(4):  # one per provider
                yield (day + datetime.timedelta(days=d, minutes=30 * k)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_backup_under_load_keeps_every_acknowledged_booking(ctx):
    if ctx.kind != "sqlite":
        p = harness.bookd("backup", "--db", ctx.db_url, "--to", os.path.join(ctx.tmp, "x.db"), check=False)
        assert p.returncode == 2 and "pg_dump" in p.stderr, p.stderr
        return
    srv = ctx.server(test_clock=NOW)
    gen = starts()
    lock = threading.Lock()
    acked = []  # (monotonic time of the answer, reference)
    stop = threading.Event()
    errors = []

    def worker(i):
        c = srv.new_client()
        n = 0
        while not stop.is_set():
            with lock:
                start = next(gen, None)
            if start is None:
                return
            n += 1
            r = c.post("/api/v1/public/bk/bookings", body={
                "service": "cut", "start": start,
                "customer": {"name": "C %d" % i, "email": "c%d-%d@example.com" % (i, n)}})
            if r.status == 201:
                with lock:
                    acked.append((time.monotonic(), r.json["reference"]))
            elif r.status != 409:
                errors.append(r)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    began = time.monotonic()
    out = os.path.join(ctx.tmp, "backup.db")
    p = harness.bookd("backup", "--db", ctx.db_url, "--to", out)
    assert "backed up" in p.stdout
    time.sleep(0.3)  # load goes on after the backup too
    stop.set()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    before = {ref for t, ref in acked if t < began}
    assert len(before) >= 20, len(before)
    assert not [n for n in os.listdir(ctx.tmp) if ".partial-" in n]
    con = sqlite3.connect(out)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        in_backup = {row[0] for row in con.execute("SELECT reference FROM bookings")}
    finally:
        con.close()
    missing = before - in_backup
    assert not missing, "%d of %d acknowledged bookings missing" % (len(missing), len(before))
    # Restore into a new database and serve it.
    target = "sqlite:" + os.path.join(ctx.tmp, "restored.db")
    p = harness.bookd("restore", "--db", target, "--from", out)
    assert "restored" in p.stdout
    assert harness.query(target, "SELECT COUNT(*) FROM bookings") == str(len(in_backup))
    srv2 = harness.Server(target, test_clock=NOW)
    ctx.servers.append(srv2)
    assert srv2.client.get("/healthz").status == 200
    # The restored bookings are busy time: the first day's free seats are what they left.
    day = srv2.client.get("/api/v1/public/bk/availability?service=cut&from=2026-06-02&to=2026-06-02")
    assert day.status == 200, day
    booked = int(harness.query(target, "SELECT COUNT(*) FROM bookings WHERE start_at < %d"
                               % datetime.datetime(2026, 6, 3, tzinfo=datetime.timezone.utc).timestamp()))
    assert booked > 0
    assert sum(s["seats_left"] for s in day.json["days"][0]["slots"]) == 80 - booked


def test_restore_refuses_what_is_not_a_bookd_database(ctx):
    junk = os.path.join(ctx.tmp, "junk.db")
    with open(junk, "w") as f:
        f.write("not a database at all\n" * 100)
    target = "sqlite:" + os.path.join(ctx.tmp, "r2.db")
    p = harness.bookd("restore", "--db", target, "--from", junk, check=False)
    assert p.returncode != 0 and "integrity" in p.stderr, p.stderr
    empty = os.path.join(ctx.tmp, "empty.db")
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.commit()
    p = harness.bookd("restore", "--db", target, "--from", empty, check=False)
    assert p.returncode != 0 and "not a bookd database" in p.stderr, p.stderr
    p = harness.bookd("backup", "--db", ctx.db_url, check=False)
    assert p.returncode == 2 and "--to" in p.stderr
