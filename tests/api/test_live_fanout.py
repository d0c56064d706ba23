"""Live events across processes: on PostgreSQL every bookd LISTENs on `bookd_live`, so a
change made through one process reaches the event streams and the availability answer cache
of every process. SQLite is one process per file: events stay in it, and that still works."""
import json
import time
import urllib.parse

import harness
from test_holds_events import Stream

CLOCK = "2026-06-01T06:00:00Z"  # a Monday; every server of this module holds "now" here
EVENTS = "/api/v1/public/live/events"

FIXTURE = {
    "business": {"slug": "live", "name": "Live", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "providers": ["ann", "bob"], "price_minor": 2500}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}


# More holds from one address than the per-address limit allows: not what this is about.
ENV = {"BOOKD_RATE_LIMITS": "off"}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.a = ctx.server(test_clock=CLOCK, env=ENV)


def second(ctx):
    """Server B: another bookd on the same database (PostgreSQL only), started once."""
    if not hasattr(ctx, "b"):
        ctx.b = ctx.server(test_clock=CLOCK, env=ENV)
    return ctx.b


def providers_at(c, start):
    """Who can take `start` (an RFC 3339 local instant), from c's availability answer."""
    date = start[:10]
    q = urllib.parse.urlencode({"service": "cut", "from": date, "to": date})
    r = c.get("/api/v1/public/live/availability?" + q)
    assert r.status == 200, r
    slots = {s["start"]: s for s in r.json["days"][0]["slots"]}
    return slots[start]["providers"] if start in slots else []


def hold(c, start, provider):
    r = c.post("/api/v1/public/live/holds", body={"service": "cut", "start": start,
                                                   "provider": provider})
    assert r.status == 201, r
    return r.json


def events_in(st):
    """The availability events a stream has read so far, decoded."""
    lines = st.buf.decode().splitlines()
    return [json.loads(lines[i + 1][6:]) for i, l in enumerate(lines)
            if l == "event: availability" and i + 1 < len(lines) and lines[i + 1].startswith("data: ")]


def open_stream(srv):
    st = Stream(srv.port, EVENTS)
    assert st.read_until(": connected", 5), st.buf
    return st


def test_a_hold_reaches_every_process_streams_and_cache(ctx):
    a = ctx.a
    t1 = "2026-06-02T10:00:00+01:00"
    # One process: its own streams hear its own change exactly once, and its cached answer
    # (asked before, same test-clock second, so the same key but for the change counter)
    # shows the slot taken at once.
    assert providers_at(a.client, t1) == ["ann", "bob"]
    st = open_stream(a)
    hold(a.client, t1, "ann")
    assert st.read_until("event: availability", 1.0), st.buf
    assert providers_at(a.client, t1) == ["bob"]
    st.read_until("never", 0.4)  # a second copy (local publish + notification) would show here
    assert events_in(st) == [{"service": "cut", "dates": ["2026-06-02"]}], st.buf
    st.close()
    if ctx.kind != "postgres":
        return  # one process per SQLite file: there is no second process to tell

    # Two processes on one PostgreSQL: B caches an answer, A takes the slot, B's stream hears
    # it within a second and B's answer for the same second already shows the slot taken.
    b = second(ctx)
    t2 = "2026-06-03T11:00:00+01:00"
    assert providers_at(b.client, t2) == ["ann", "bob"]
    assert providers_at(b.client, t2) == ["ann", "bob"]  # now from B's cache
    sb = open_stream(b)
    sa = open_stream(a)
    t0 = time.time()
    hold(a.client, t2, "bob")
    assert sb.read_until("event: availability", 1.0), sb.buf
    assert time.time() - t0 < 1.0
    assert providers_at(b.client, t2) == ["ann"]
    assert sa.read_until("event: availability", 1.0), sa.buf  # the sender's own streams too
    sb.read_until("never", 0.4)
    assert events_in(sb) == [{"service": "cut", "dates": ["2026-06-03"]}], sb.buf
    assert events_in(sa) == [{"service": "cut", "dates": ["2026-06-03"]}], sa.buf

    # And the other way round: a booking made through B reaches A's stream and A's cache.
    t3 = "2026-06-04T14:00:00+01:00"
    assert providers_at(a.client, t3) == ["ann", "bob"]
    r = b.client.post("/api/v1/public/live/bookings",
                      body={"service": "cut", "start": t3, "provider": "ann",
                            "customer": {"name": "Kim Lee", "email": "kim@example.com"}})
    assert r.status == 201, r
    assert sa.read_until('"2026-06-04"', 1.0), sa.buf
    assert providers_at(a.client, t3) == ["bob"]
    sa.close()
    sb.close()


def test_listener_comes_back_after_losing_its_connection(ctx):
    a = ctx.a
    if ctx.kind != "postgres":
        # SQLite starts no listener and logs nothing about one; its events stay local.
        assert "listener" not in a.read_log()
        st = open_stream(a)
        hold(a.client, "2026-06-05T09:00:00+01:00", "ann")
        assert st.read_until("event: availability", 1.0), st.buf
        st.close()
        return
    b = second(ctx)
    # Cut both processes' LISTEN connections (never the pool's) from the server side.
    n = harness.query(ctx.db_url, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE application_name = 'bookd-listen' AND datname = current_database()")
    assert n == "2", n
    deadline = time.time() + 10
    while time.time() < deadline and not all("is back" in s.read_log() for s in (a, b)):
        time.sleep(0.05)
    for s in (a, b):
        log = s.read_log()
        assert "listener lost its connection" in log and "is back" in log, log[-2000:]
        assert log.count("listener lost its connection") == 1, log[-2000:]  # logged once
    sb = open_stream(b)
    t = "2026-06-05T09:00:00+01:00"
    hold(a.client, t, "ann")
    assert sb.read_until("event: availability", 1.0), sb.buf
    assert providers_at(b.client, t) == ["bob"]
    sb.close()
