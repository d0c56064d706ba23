"""Edges that had no test: a clash only through buffers is refused when written, not only
left out of the slot list; a multi-seat booking costs its seats; staff cancel inside the
customer's window; a hold at its exact expiry second; the Idempotency-Key length limit."""

import harness
import staff

NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London
PW = "a long enough secret"

FIXTURE = {
    "business": {"slug": "edge", "name": "Edge", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 300},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        # Tinting leaves 30 minutes after it; prep needs 30 minutes before.
        {"id": "tint", "name": "Tint", "duration_s": 3600, "slot_interval_s": 1800, "buffer_after_s": 1800,
         "providers": ["ann"]},
        {"id": "prep", "name": "Prep", "duration_s": 1800, "slot_interval_s": 1800, "buffer_before_s": 1800,
         "providers": ["ann"]},
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["bob"], "cancel_until_s": 86400},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 12,
         "price_minor": 1000, "providers": ["bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [{"id": "y1", "service": "yoga", "provider": "bob", "start": "2026-06-10T17:00:00Z"}],
}

CUSTOMER = {"name": "Kim Lee", "email": "kim@example.com"}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "edge", "owner@edge.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def book(ctx, service, start, headers=None, **extra):
    body = {"service": service, "start": start, "customer": CUSTOMER}
    body.update(extra)
    return ctx.c.post("/api/v1/public/edge/bookings", body=body, headers=headers)


def offered(ctx, service, date):
    r = ctx.c.get("/api/v1/public/edge/availability?service=%s&from=%s&to=%s" % (service, date, date))
    return [s["start"] for s in r.json["days"][0]["slots"]]


def test_a_clash_only_through_buffers_is_refused_when_written(ctx):
    at(ctx, NOW)
    r = book(ctx, "tint", "2026-06-02T09:00:00+01:00")  # 09:00-10:00, kept free until 10:30
    assert r.status == 201, r
    # 10:00 does not overlap the tint itself, only its buffer after.
    assert "2026-06-02T10:00:00+01:00" not in offered(ctx, "tint", "2026-06-02")
    r = book(ctx, "tint", "2026-06-02T10:00:00+01:00")
    assert r.status == 409 and r.json["reason"] == "buffer", r
    r = ctx.c.post("/api/v1/public/edge/holds", body={"service": "tint", "start": "2026-06-02T10:00:00+01:00"})
    assert r.status == 409 and r.json["reason"] == "buffer", r
    # The new booking's own buffer before reaches back into the tint: refused too.
    assert "2026-06-02T10:30:00+01:00" not in offered(ctx, "prep", "2026-06-02")
    r = book(ctx, "prep", "2026-06-02T10:30:00+01:00")
    assert r.status == 409 and r.json["reason"] == "buffer", r
    r = book(ctx, "prep", "2026-06-02T11:00:00+01:00")  # prep's buffer from 10:30: clear
    assert r.status == 201, r
    n = harness.query(ctx.db_url, "SELECT COUNT(*) FROM bookings WHERE service_id IN ('tint', 'prep')")
    assert int(n) == 2, n  # the tint and the 11:00 prep; nothing of the refused ones


def test_a_multi_seat_booking_costs_its_seats(ctx):
    at(ctx, NOW)
    start = "2026-06-10T18:00:00+01:00"
    r = book(ctx, "yoga", start, seats=3)
    assert r.status == 201 and r.json["seats"] == 3, r
    assert r.json["price"] == {"amount_minor": 3000, "currency": "EUR"}, r
    h = ctx.c.post("/api/v1/public/edge/holds", body={"service": "yoga", "start": start, "seats": 2})
    assert h.status == 201, h
    # Another customer: the same email may not hold two bookings of one session.
    other = {"name": "Ola Berg", "email": "ola@example.com"}
    r = ctx.c.post("/api/v1/public/edge/bookings", body={"hold": h.json["id"], "customer": other})
    assert r.status == 201 and r.json["price"]["amount_minor"] == 2000, r
    s = staff.login(ctx, "edge", "owner@edge.test", PW)
    r = s.post(s.path("/bookings"), body={"service": "yoga", "start": start, "seats": 4, "customer": CUSTOMER})
    assert r.status == 201 and r.json["price"]["amount_minor"] == 4000, r


def test_staff_cancel_inside_the_customers_window(ctx):
    at(ctx, NOW)
    r = book(ctx, "cut", "2026-06-01T11:00:00+01:00")  # 4 hours ahead; customers cancel until 24 h before
    assert r.status == 201, r
    ref, token = r.json["reference"], r.json["manage_token"]
    h = {"Authorization": "Bearer " + token}
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % ref, headers=h, body={})
    assert r.status == 422, r
    s = staff.login(ctx, "edge", "owner@edge.test", PW)
    r = s.post(s.path("/bookings/%s/cancel" % ref), body={"reason": "the customer phoned"})
    assert r.status == 200 and r.json["status"] == "cancelled", r
    assert r.json["refund"] == {"amount_minor": 4000, "currency": "EUR"}, r
    assert r.json["fee"]["amount_minor"] == 0, r
    assert "2026-06-01T11:00:00+01:00" in offered(ctx, "cut", "2026-06-01")


def test_a_hold_at_its_exact_expiry_second(ctx):
    at(ctx, "2026-06-03T06:00:00Z")
    start = "2026-06-04T09:00:00+01:00"
    a = ctx.c.post("/api/v1/public/edge/holds", body={"service": "cut", "start": start})
    assert a.status == 201 and a.json["expires_at"] == "2026-06-03T07:05:00+01:00", a
    start2 = "2026-06-04T10:00:00+01:00"
    b = ctx.c.post("/api/v1/public/edge/holds", body={"service": "cut", "start": start2})
    assert b.status == 201, b
    at(ctx, "2026-06-03T06:04:59Z")  # one second before: still held
    assert start not in offered(ctx, "cut", "2026-06-04")
    r = ctx.c.post("/api/v1/public/edge/holds", body={"service": "cut", "start": start})
    assert r.status == 409, r
    r = ctx.c.post("/api/v1/public/edge/bookings", body={"hold": b.json["id"], "customer": CUSTOMER})
    assert r.status == 201, r  # a hold books up to its last second
    at(ctx, "2026-06-03T06:05:00Z")  # the expiry second itself: gone
    assert start in offered(ctx, "cut", "2026-06-04")
    r = ctx.c.post("/api/v1/public/edge/bookings", body={"hold": a.json["id"], "customer": CUSTOMER})
    assert r.status == 409 and "expired" in r.json["detail"], r
    r = ctx.c.post("/api/v1/public/edge/holds", body={"service": "cut", "start": start})
    assert r.status == 201, r


def test_idempotency_key_length_limit(ctx):
    at(ctx, NOW)
    key = "k" * 200
    r = book(ctx, "cut", "2026-06-05T09:00:00+01:00", headers={"Idempotency-Key": key})
    assert r.status == 201, r
    again = book(ctx, "cut", "2026-06-05T09:00:00+01:00", headers={"Idempotency-Key": key})
    assert again.status == 201 and again.json["reference"] == r.json["reference"], again
    assert again.header("Idempotent-Replayed") == "true"
    for bad in ("k" * 201, ""):
        r = book(ctx, "cut", "2026-06-05T10:00:00+01:00", headers={"Idempotency-Key": bad})
        assert r.status == 422 and r.json["errors"][0]["field"] == "Idempotency-Key", (len(bad), r)
    assert "2026-06-05T10:00:00+01:00" in offered(ctx, "cut", "2026-06-05")  # nothing was written
