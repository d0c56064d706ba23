"""Two bookd processes on one PostgreSQL database sync one CalDAV calendar (a real
Radicale): each round is claimed by one process at a time (FOR UPDATE SKIP LOCKED and a
lease), so every booking made through either process is created in the calendar exactly
once (one PUT with If-None-Match: *, never a refused second one) and nothing is lost."""
import collections
import re
import time

import harness
import radicale
import staff

DATABASES = ("postgres",)
SLUG = "mp"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Two Processes", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@mp.test", "owner", PW)
    ctx.dav = radicale.Radicale({"ann": "pw-ann"})
    ctx.cal = ctx.dav.mkcalendar("ann", "work")
    ctx.a = ctx.server(test_clock=NOW)
    ctx.b = ctx.server(test_clock=NOW)
    ctx.srv = ctx.a


def teardown(ctx):
    ctx.dav.close()


def test_two_processes_push_each_booking_once(ctx):
    o = staff.login(ctx, SLUG, "o@mp.test", PW, server=ctx.a)
    ob = staff.login(ctx, SLUG, "o@mp.test", PW, server=ctx.b)
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.dav.url + ctx.cal, "username": "ann", "password": "pw-ann",
        "provider_id": "ann", "poll_interval_s": 600})
    assert r.status == 201, r
    ids = []
    for i in range(12):
        who = o if i % 2 else ob  # made through either process
        r = who.post(who.path("/bookings"), body={
            "service": "cut", "start": "2026-03-%02dT%02d:%s:00+00:00" % (24 + i // 8, 9 + (i % 8) // 2, "00" if i % 2 else "30"),
            "provider": "ann", "customer": {"name": "C%d" % i, "email": "c%d@example.com" % i}})
        assert r.status == 201, r
        ids.append(harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % r.json["reference"]))
    deadline = time.time() + 30
    while time.time() < deadline:
        evs = ctx.dav.events("ann", ctx.cal)
        if all(ctx.cal + b + ".ics" in evs for b in ids):
            break
        time.sleep(0.1)
    evs = ctx.dav.events("ann", ctx.cal)
    assert sorted(evs) == sorted(ctx.cal + b + ".ics" for b in ids), sorted(evs)
    time.sleep(1.5)  # let any second process's round finish
    puts = collections.Counter(re.findall(r"PUT response status for '([^']+)' in [0-9.]+ seconds: (\d+)",
                                          ctx.dav.read_log()))
    for b in ids:
        href = ctx.cal + b + ".ics"
        assert puts[(href, "201")] == 1 and puts[(href, "412")] == 0, (href, puts)
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM calendar_pushes WHERE deleted = 0") == str(len(ids))
    for srv in (ctx.a, ctx.b):
        assert "sync failed" not in srv.read_log()
