"""Minimum attendance decided exactly once by three bookd processes on one PostgreSQL: every
process's jobs worker reaches the decision time of the same sessions at once, and still each
session is decided once, each booking cancelled once and each customer told once. SQLite is
one process per file, so this module runs on PostgreSQL only."""
import time

import harness
import staff
from sinks import SmtpSink

FIXTURE = {
    "business": {"slug": "gym3", "name": "Gym", "timezone": "Europe/London"},
    "providers": [{"id": "lea", "name": "Lea"}],
    "services": [{"id": "spin", "name": "Spin", "kind": "class", "duration_s": 3600, "capacity": 10,
                  "min_notice_s": 0, "providers": ["lea"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "20:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [{"id": "x%d" % i, "service": "spin", "provider": "lea",
                  "start": "2026-06-02T%02d:00:00Z" % (8 + i)} for i in range(6)],
}
CLOCK = "2026-06-01T06:00:00Z"
LATER = "2026-06-02T07:30:00Z"  # every session within its 12-hour decision time
PROCESSES = 3
DATABASES = ("postgres",)
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "gym3", "o@gym3.test", "owner", PW)
    ctx.sink = SmtpSink()


def teardown(ctx):
    ctx.sink.stop()


def test_three_workers_decide_each_session_once(ctx):
    procs = [ctx.server(test_clock=CLOCK, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "desk@gym3.test", "--public-url", "https://gym3.test"])
        for _ in range(PROCESSES)]
    o = staff.login(ctx, "gym3", "o@gym3.test", PW)
    r = o.put(o.path("/services/spin/group-rules"), body={"min_attendance": 3, "decide_before_s": 12 * 3600})
    assert r.status == 200, r
    emails = []
    for i in range(6):
        # x0..x3 under the minimum (2 booked), x4 and x5 reach it (3 booked).
        for k in range(2 if i < 4 else 3):
            e = "s%d.%d@example.com" % (i, k)
            r = procs[i % PROCESSES].client.post("/api/v1/public/gym3/bookings", body={
                "service": "spin", "start": FIXTURE["sessions"][i]["start"],
                "customer": {"name": "P", "email": e}})
            assert r.status == 201, r
            emails.append((i, e))
    for p in procs:
        assert p.client.post("/api/v1/test/clock", body={"now": LATER}).status == 200
    deadline = time.time() + 30
    while time.time() < deadline:
        n = harness.query(ctx.db_url, "SELECT COUNT(*) FROM session_rules WHERE decision IS NOT NULL")
        if n == "6":
            break
        time.sleep(0.2)
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM session_rules WHERE decision = 'cancelled'") == "4"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM session_rules WHERE decision = 'kept'") == "2"
    # Each booking of the cancelled sessions cancelled once, and nothing else.
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM booking_events WHERE kind = 'cancel'") == "8"
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'") == "8"
    for p in procs:  # passes after the decision change nothing
        assert p.client.post("/api/v1/test/clock", body={"now": "2026-06-02T07:45:00Z"}).status == 200
    time.sleep(2)
    for i, e in emails:
        got = ctx.sink.matching(lambda m, e=e: e in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))
        if i < 4:
            deadline = time.time() + 15
            while not got and time.time() < deadline:
                time.sleep(0.2)
                got = ctx.sink.matching(lambda m, e=e: e in m["to"] and "Cancelled" in str(m["msg"]["Subject"]))
        assert len(got) == (1 if i < 4 else 0), (e, len(got))
