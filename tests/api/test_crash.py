"""Crash safety: bookd killed with SIGKILL in the middle of booking load, several times.
Every booking answered 201 is there after restart, no slot holds more than its capacity,
SQLite's integrity check passes, and the outbox loses no message: every acknowledged
booking's confirmation is sent after the restarts, and a message sent twice (a kill between
the SMTP server's 250 and our mark) carries the same Message-ID."""
import datetime
import json
import os
import tempfile
import threading
import time

import harness
from sinks import SmtpSink

PROVIDERS = ["p%d" % i for i in range(4)]
FIXTURE = {
    "business": {"slug": "crash", "name": "Crash Salon", "timezone": "UTC"},
    "providers": [{"id": p, "name": p.upper()} for p in PROVIDERS],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "max_advance_s": 300 * 86400, "providers": PROVIDERS}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
NOW = "2026-06-01T06:00:00Z"
KILLS = 3
CLIENTS = 6


def setup(ctx):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(FIXTURE, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    os.unlink(path)
    ctx.sink = SmtpSink()


def start_server(ctx):
    return ctx.server(test_clock=NOW, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "bookings@crash.test", "--public-url", "https://crash.test"])


def starts():
    """Every start twice: clients race for the same slots, so refusals happen too."""
    day = datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.timezone.utc)
    for d in range(250):
        for k in range(20):
            s = (day + datetime.timedelta(days=d, minutes=30 * k)).strftime("%Y-%m-%dT%H:%M:%SZ")
            for _ in range(len(PROVIDERS) + 2):
                yield s


def load_until_killed(ctx, srv, gen, acked, lock):
    """Books from CLIENTS threads, kills the server with SIGKILL mid-load, returns when the
    clients have stopped."""
    stop = threading.Event()
    odd = []

    def worker(i):
        c = srv.new_client()
        n = 0
        while not stop.is_set():
            with lock:
                start = next(gen)
            n += 1
            try:
                r = c.post("/api/v1/public/crash/bookings", body={
                    "service": "cut", "start": start,
                    "customer": {"name": "Client %d" % i, "email": "c%d-%d-%d@example.com" % (i, n, time.time_ns())}})
            except Exception:  # the server died under this request: no answer, no claim
                return
            if r.status == 201:
                with lock:
                    acked.append(r.json["reference"])
            elif r.status != 409:
                odd.append(r)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    srv.proc.kill()  # SIGKILL: no drain, no clean close
    srv.proc.wait()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not odd, odd[:3]


def q(ctx, sql):
    return harness.query(ctx.db_url, sql)


def test_sigkill_mid_load_loses_nothing(ctx):
    gen = starts()
    acked = []
    lock = threading.Lock()
    for _ in range(KILLS):
        srv = start_server(ctx)
        load_until_killed(ctx, srv, gen, acked, lock)
    assert len(acked) >= 10 * KILLS, len(acked)
    srv = start_server(ctx)  # a clean start over the killed one's files
    assert srv.client.get("/healthz").status == 200
    # Every acknowledged booking is there, once.
    refs = "', '".join(acked)
    assert q(ctx, "SELECT COUNT(*) FROM bookings WHERE reference IN ('%s')" % refs) == str(len(acked))
    # No provider holds two bookings at one start (capacity 1).
    assert q(ctx, "SELECT COUNT(*) FROM (SELECT provider_id, start_at FROM bookings "
                  "WHERE status NOT IN ('cancelled', 'expired') GROUP BY provider_id, start_at "
                  "HAVING COUNT(*) > 1) x") == "0"
    if ctx.kind == "sqlite":
        assert q(ctx, "PRAGMA integrity_check") == "ok"
    # The outbox: every acknowledged booking's confirmation is sent after the restarts. A
    # message a killed worker had claimed waits out its claim (2 minutes) first.
    assert srv.client.post("/api/v1/test/clock", body={"now": "2026-06-01T06:03:00Z"}).status == 200
    deadline = time.time() + 60
    unsent = None
    while time.time() < deadline:
        unsent = q(ctx, "SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.business_id = "
                        "n.business_id AND b.id = n.booking_id WHERE n.event = 'confirmed' AND "
                        "n.channel = 'email' AND n.status <> 'sent' AND b.reference IN ('%s')" % refs)
        if unsent == "0":
            break
        time.sleep(0.2)
    assert unsent == "0", "%s confirmations of acknowledged bookings not sent" % unsent
    confirmations = int(q(ctx, "SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.business_id = "
                               "n.business_id AND b.id = n.booking_id WHERE n.event = 'confirmed' AND "
                               "n.channel = 'email' AND b.reference IN ('%s')" % refs))
    assert confirmations == len(acked), (confirmations, len(acked))
    # What the SMTP server received: at least one message per confirmation; any repeat of a
    # message keeps its Message-ID, so mail clients fold it.
    ids = {}
    with ctx.sink.lock:
        for m in ctx.sink.messages:
            ids.setdefault(str(m["msg"]["Message-ID"]), []).append(m)
    sent_refs = set()
    for mid, ms in ids.items():
        assert len({(tuple(m["to"]), str(m["msg"]["Subject"])) for m in ms}) == 1, mid
        text = ms[0]["msg"].get_body(preferencelist=("plain",)).get_content()
        for ref in acked:
            if ref in text:
                sent_refs.add(ref)
    assert sent_refs == set(acked), "%d acknowledged bookings got no email" % len(set(acked) - sent_refs)
    print("crash: %d bookings acknowledged across %d SIGKILLs, all present; %d messages, %d distinct"
          % (len(acked), KILLS, sum(len(v) for v in ids.values()), len(ids)))
