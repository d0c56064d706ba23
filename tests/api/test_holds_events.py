"""Holds take a slot inside a write transaction; the events stream tells open pages."""
import json
import socket
import time
import urllib.parse

import harness

FIXTURE = {
    "business": {"slug": "shop", "name": "Shop", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "buffer_after_s": 900, "providers": ["ann", "bob"], "price_minor": 2500}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.srv = ctx.server(test_clock="2026-06-01T06:00:00Z")
    ctx.c = ctx.srv.client


def slots_at(ctx, date):
    q = urllib.parse.urlencode({"service": "cut", "from": date, "to": date})
    day = ctx.c.get("/api/v1/public/shop/availability?" + q).json["days"][0]
    return {s["start"]: s for s in day["slots"]}


def hold(ctx, **body):
    body.setdefault("service", "cut")
    return ctx.c.post("/api/v1/public/shop/holds", body=body)


class Stream:
    """A raw SSE client: reads events as they arrive."""

    def __init__(self, port, path):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n" % path).encode())
        self.buf = b""
        self.s.settimeout(0.2)

    def read_until(self, marker, timeout):
        deadline = time.time() + timeout
        while marker.encode() not in self.buf and time.time() < deadline:
            try:
                chunk = self.s.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
            except socket.timeout:
                pass
        return marker.encode() in self.buf

    def close(self):
        self.s.close()


def test_hold_takes_the_slot_from_everyone_else(ctx):
    before = slots_at(ctx, "2026-06-02")
    assert before["2026-06-02T10:00:00+01:00"]["providers"] == ["ann", "bob"]
    r = hold(ctx, start="2026-06-02T10:00:00+01:00", provider="ann")
    assert r.status == 201, r
    h = r.json
    assert h["provider"] == "ann" and h["seats"] == 1
    assert h["start"] == "2026-06-02T10:00:00+01:00" and h["end"] == "2026-06-02T10:30:00+01:00"
    assert h["expires_at"] == "2026-06-01T07:10:00+01:00"  # now + 600 s
    after = slots_at(ctx, "2026-06-02")
    assert after["2026-06-02T10:00:00+01:00"]["providers"] == ["bob"]
    assert after["2026-06-02T10:00:00+01:00"]["seats_left"] == 1
    # Ann's buffer after the held slot keeps 10:30 busy for her too (10:30-10:45).
    assert after["2026-06-02T10:30:00+01:00"]["providers"] == ["bob"]
    r = hold(ctx, start="2026-06-02T10:00:00+01:00", provider="ann")
    assert r.status == 409 and r.json["reason"] == "busy", r
    assert r.header("Content-Type") == "application/problem+json"


def test_any_provider_hold_picks_a_free_one_until_none_left(ctx):
    t = "2026-06-03T11:00:00+01:00"
    a = hold(ctx, start=t)
    b = hold(ctx, start=t)
    c = hold(ctx, start=t)
    assert a.status == 201 and b.status == 201, (a, b)
    assert {a.json["provider"], b.json["provider"]} == {"ann", "bob"}
    assert c.status == 409, c
    assert t not in slots_at(ctx, "2026-06-03")


def test_off_grid_or_closed_start_is_409_with_reason(ctx):
    # The detail says why in words: a start that never was offered is not "no longer free".
    r = hold(ctx, start="2026-06-02T10:10:00+01:00")
    assert r.status == 409 and r.json["reason"] == "off_grid", r
    assert r.json["detail"] == "the service does not start at that time (off its slot grid)", r
    r = hold(ctx, start="2026-06-06T10:00:00+01:00")  # a Saturday
    assert r.status == 409 and r.json["reason"] == "outside_hours", r
    assert r.json["detail"] == "that time is outside opening hours", r
    r = hold(ctx, start="2026-06-01T06:30:00+01:00")
    assert r.status == 409


def test_invalid_hold_lists_fields(ctx):
    r = ctx.c.post("/api/v1/public/shop/holds", body={"start": "tomorrow", "seats": 0})
    assert r.status == 422, r
    fields = {e["field"] for e in r.json["errors"]}
    assert fields == {"service", "start", "seats"}, fields
    seats = [e["detail"] for e in r.json["errors"] if e["field"] == "seats"]
    assert seats == ["must be a whole number from 1 to 10000"], seats
    r = hold(ctx, service="nope", start="2026-06-02T10:00:00+01:00")
    assert r.status == 422 and r.json["errors"][0]["field"] == "service"


def test_expired_hold_frees_the_slot(ctx):
    t = "2026-06-04T15:00:00+01:00"
    assert hold(ctx, start=t, provider="bob").status == 201
    assert slots_at(ctx, "2026-06-04")[t]["providers"] == ["ann"]
    r = ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-01T06:11:00Z"})
    assert r.status == 200
    assert slots_at(ctx, "2026-06-04")[t]["providers"] == ["ann", "bob"]
    ctx.c.post("/api/v1/test/clock", body={"now": "2026-06-01T06:00:00Z"})


def test_released_hold_frees_the_slot_at_once_and_says_so(ctx):
    t = "2026-06-04T11:00:00+01:00"
    h = hold(ctx, start=t, provider="bob")
    assert h.status == 201, h
    assert slots_at(ctx, "2026-06-04")[t]["providers"] == ["ann"]
    st = Stream(ctx.srv.port, "/api/v1/public/shop/events")
    assert st.read_until(": connected", 5)
    r = ctx.c.request("DELETE", "/api/v1/public/shop/holds/" + h.json["id"])
    assert r.status == 204, r
    assert st.read_until("event: availability", 1.0), st.buf
    st.close()
    assert slots_at(ctx, "2026-06-04")[t]["providers"] == ["ann", "bob"]
    # Gone is gone: released again, booked, another business's or unknown ids are all 404,
    # and a released hold cannot be booked.
    again = ctx.c.request("DELETE", "/api/v1/public/shop/holds/" + h.json["id"])
    assert again.status == 404 and again.json["detail"] == "no such hold", again
    b = ctx.c.post("/api/v1/public/shop/bookings", body={
        "hold": h.json["id"], "customer": {"name": "Kim", "email": "kim@example.com"}})
    assert b.status == 409, b
    h2 = hold(ctx, start=t, provider="bob").json
    booked = ctx.c.post("/api/v1/public/shop/bookings", body={
        "hold": h2["id"], "customer": {"name": "Kim", "email": "kim@example.com"}})
    assert booked.status == 201, booked
    assert ctx.c.request("DELETE", "/api/v1/public/shop/holds/" + h2["id"]).status == 404
    assert ctx.c.request("DELETE", "/api/v1/public/nobody/holds/" + h2["id"]).status == 404
    assert ctx.c.request("DELETE", "/api/v1/public/shop/holds/bkg_nosuchhold").status == 404
    assert slots_at(ctx, "2026-06-04")[t]["providers"] == ["ann"]  # the booking keeps bob


def test_events_stream_announces_a_hold_within_a_second(ctx):
    st = Stream(ctx.srv.port, "/api/v1/public/shop/events")
    assert st.read_until(": connected", 5), st.buf
    assert b"Content-Type: text/event-stream" in st.buf
    other = Stream(ctx.srv.port, "/api/v1/public/shop/events")
    assert other.read_until(": connected", 5)
    t0 = time.time()
    r = hold(ctx, start="2026-06-05T09:00:00+01:00")
    assert r.status == 201, r
    assert st.read_until("event: availability", 1.0), st.buf
    assert other.read_until("event: availability", 1.0), other.buf
    assert time.time() - t0 < 1.0
    data = [l for l in st.buf.decode().splitlines() if l.startswith("data: ")][0]
    ev = json.loads(data[6:])
    assert ev == {"service": "cut", "dates": ["2026-06-05"]}, ev
    st.close()
    other.close()
    # The server still answers, and a stream of an unknown business is a 404.
    assert ctx.c.get("/healthz").status == 200
    assert ctx.c.get("/api/v1/public/nobody/events").status == 404


def test_streams_do_not_block_shutdown(ctx):
    srv = ctx.server()
    st = Stream(srv.port, "/api/v1/public/shop/events")
    assert st.read_until(": connected", 5)
    t0 = time.time()
    assert srv.stop() == 0
    assert time.time() - t0 < 5
    st.close()


def test_staff_can_ask_why_a_start_is_not_offered(ctx):
    import staff
    staff.make_user(ctx, "shop", "boss@shop.test", "owner", "a long enough secret")
    s = staff.login(ctx, "shop", "boss@shop.test", "a long enough secret", server=ctx.srv)

    def why(start, **q):
        q.update({"service": "cut", "start": start})
        r = s.get(s.path("/availability/explain?" + urllib.parse.urlencode(q)))
        assert r.status == 200, r
        return r.json

    assert hold(ctx, start="2026-06-08T14:00:00+01:00", provider="ann").status == 201
    assert why("2026-06-08T14:00:00+01:00", provider="ann")["reason"] == "busy"
    assert why("2026-06-08T14:30:00+01:00", provider="ann")["reason"] == "buffer"  # Ann's 15 min after
    ok = why("2026-06-08T14:00:00+01:00")
    assert ok["offered"] is True and ok["providers"] == ["bob"]
    assert why("2026-06-06T10:00:00+01:00")["reason"] == "outside_hours"  # Saturday
    assert why("2026-06-08T14:10:00+01:00")["reason"] == "off_grid"
    assert why("2026-06-01T06:30:00+01:00")["reason"] == "min_notice"
    assert why("2026-06-08T12:00:00+01:00")["offered"] is True
    r = s.get(s.path("/availability/explain?service=cut&start=soon"))
    assert r.status == 400 and r.json["errors"][0]["field"] == "start"
    assert ctx.c.get("/api/v1/businesses/shop/availability/explain?service=cut&start=x").status == 401
