"""Several bookd processes on one PostgreSQL behind one port (SO_REUSEPORT): racing clients
never double-book, each due reminder is sent exactly once though every process's worker
competes for it, and a change reaches the event streams of every process. SQLite is one
process per file, so this module runs on PostgreSQL only."""
import socket
import threading
import time

import harness
from sinks import SmtpSink
from test_holds_events import Stream

FIXTURE = {
    "business": {"slug": "multi", "name": "Multi", "timezone": "Europe/London", "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "providers": ["ann", "bob"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
CLOCK = "2026-06-01T06:00:00Z"  # Monday 07:00 in London
LATER = "2026-06-01T12:00:00Z"  # 24-hour reminders of Tuesday's morning slots are due
PROCESSES = 3
DATABASES = ("postgres",)


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.sink = SmtpSink()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    ctx.port = probe.getsockname()[1]
    probe.close()


def start_all(ctx, clock):
    # 64 clients from one address: the per-address booking limit is not what this is about.
    return [ctx.server(test_clock=clock, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--listen", "127.0.0.1:%d" % ctx.port, "--smtp-url", ctx.sink.url,
        "--smtp-from", "bookings@multi.test", "--public-url", "https://multi.test"])
        for _ in range(PROCESSES)]


def wait_sent(ctx, where):
    deadline = time.time() + 30
    while time.time() < deadline:
        pending = harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE %s AND "
                                            "status <> 'sent'" % where)
        if pending == "0":
            return
        time.sleep(0.2)
    raise AssertionError("%s messages (%s) not sent" % (pending, where))


def test_three_processes_share_one_port_and_one_database(ctx):
    procs = start_all(ctx, CLOCK)
    assert all(p.port == ctx.port for p in procs)
    # Streams spread over the processes by the kernel; 30 of them reach all three.
    streams = [Stream(ctx.port, "/api/v1/public/multi/events") for _ in range(30)]
    for st in streams:
        assert st.read_until(": connected", 5), st.buf
    # 64 racing clients, 20 slots (10 starts x 2 providers): exactly 20 bookings.
    starts = ["2026-06-02T%02d:%02d:00+01:00" % (9 + k // 2, 30 * (k % 2)) for k in range(10)]
    wins, others = [], []
    lock = threading.Lock()

    def racer(i):
        c = harness.Client(ctx.port)
        for start in starts[i % 10:] + starts[:i % 10]:
            r = c.post("/api/v1/public/multi/bookings", body={
                "service": "cut", "start": start,
                "customer": {"name": "Racer %d" % i, "email": "r%d@example.com" % i}})
            with lock:
                (wins if r.status == 201 else others).append(r)
            if r.status == 201:
                return
        c.close()

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 20, len(wins)
    assert all(r.status == 409 for r in others), [r for r in others if r.status != 409][:3]
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM (SELECT provider_id, start_at FROM bookings "
                                     "GROUP BY provider_id, start_at HAVING COUNT(*) > 1) x") == "0"
    # Every process's streams heard of the bookings made through the others.
    for st in streams:
        assert st.read_until("event: availability", 3), st.buf
        st.close()
    # Restart all three with the clock past the reminders' time: they race for the outbox.
    wait_sent(ctx, "event = 'confirmed'")
    for p in procs:
        assert p.stop() == 0
    # Reminders are written only when they fall due: none yet. The bookings whose 24-hour
    # reminder has come at LATER (1780315200 as epoch seconds) each get exactly one.
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE event = 'reminder'") == "0"
    due = int(harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings WHERE status = 'confirmed' "
                                        "AND start_at - 86400 <= 1780315200"))
    assert due >= 10, due
    before = len(ctx.sink.messages)
    start_all(ctx, LATER)
    deadline = time.time() + 30
    while time.time() < deadline and int(harness.query(
            ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE event = 'reminder'")) < due:
        time.sleep(0.2)
    wait_sent(ctx, "event = 'reminder' AND due_at <= 1780315200")
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications WHERE event = 'reminder'") == str(due)
    time.sleep(0.5)
    with ctx.sink.lock:
        new = ctx.sink.messages[before:]
    ids = [str(m["msg"]["Message-ID"]) for m in new]
    assert len(ids) == len(set(ids)), "a message was sent twice"
    assert len(new) == due, (len(new), due)
