"""Bookings over HTTP: direct and from a hold, idempotency, customers, the manage token,
cancel and reschedule policies at their edges, and the no-double-booking race."""
import urllib.parse

import harness

FIXTURE = {
    "business": {"slug": "studio", "name": "Studio", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 300},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann"], "cancel_until_s": 86400, "reschedule_until_s": 43200,
         "refund_tiers": [{"min_notice_s": 172800, "refund_percent": 100},
                          {"min_notice_s": 86400, "refund_percent": 50}]},
        {"id": "solo", "name": "Solo", "duration_s": 3600, "slot_interval_s": 3600, "providers": ["bob"]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 12,
         "price_minor": 1000, "providers": ["bob"]},
        {"id": "vet", "name": "Approval", "duration_s": 1800, "slot_interval_s": 1800,
         "requires_approval": True, "providers": ["ann"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
    "sessions": [{"id": "y1", "service": "yoga", "provider": "bob", "start": "2026-06-10T17:00:00Z"}],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.c = ctx.srv.client


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def book(c, start, service="cut", key=None, **extra):
    body = {"service": service, "start": start,
            "customer": extra.pop("customer", {"name": "Kim Lee", "email": "kim@example.com"})}
    body.update(extra)
    headers = {"Idempotency-Key": key} if key else None
    return c.post("/api/v1/public/studio/bookings", body=body, headers=headers)


def manage(ctx, ref, token, path="", body=None):
    h = {"Authorization": "Bearer " + token}
    if body is None:
        return ctx.c.get("/api/v1/public/bookings/%s%s" % (ref, path), headers=h)
    return ctx.c.post("/api/v1/public/bookings/%s%s" % (ref, path), body=body, headers=h)


def free(ctx, date, service="cut"):
    q = urllib.parse.urlencode({"service": service, "from": date, "to": date})
    return [s["start"] for s in ctx.c.get("/api/v1/public/studio/availability?" + q).json["days"][0]["slots"]]


def test_direct_booking_and_manage(ctx):
    at(ctx, NOW)
    r = book(ctx.c, "2026-06-03T09:00:00+01:00")
    assert r.status == 201, r
    b = r.json
    assert b["status"] == "confirmed" and b["provider"] == "ann" and b["seats"] == 1
    assert b["price"] == {"amount_minor": 4000, "currency": "EUR"}
    assert len(b["reference"]) == 9 and b["reference"][4] == "-"
    assert len(b["manage_token"]) >= 40
    assert "2026-06-03T09:00:00+01:00" not in free(ctx, "2026-06-03")
    g = manage(ctx, b["reference"], b["manage_token"])
    assert g.status == 200, g
    full = g.json
    assert full["customer"] == {"name": "Kim Lee", "email": "kim@example.com", "phone": ""}
    assert [h["kind"] for h in full["history"]] == ["created"]
    assert full["policy"]["refund_tiers"][0]["refund_percent"] == 100
    # A wrong or missing token never says whether the reference exists.
    assert manage(ctx, b["reference"], "nope").status == 404
    assert ctx.c.get("/api/v1/public/bookings/" + b["reference"]).status == 404
    assert manage(ctx, "ZZZZ-ZZZZ", b["manage_token"]).status == 404


def test_booking_from_hold_and_expired_hold(ctx):
    at(ctx, NOW)
    h = ctx.c.post("/api/v1/public/studio/holds", body={"service": "cut", "start": "2026-06-03T10:00:00+01:00"})
    assert h.status == 201, h
    r = ctx.c.post("/api/v1/public/studio/bookings",
                   body={"hold": h.json["id"], "customer": {"name": "Ada", "email": "ada@example.com"}})
    assert r.status == 201, r
    assert r.json["start"] == "2026-06-03T10:00:00+01:00" and r.json["status"] == "confirmed"
    g = manage(ctx, r.json["reference"], r.json["manage_token"]).json
    assert [e["kind"] for e in g["history"]] == ["held", "booked"]
    # The same hold cannot be booked twice.
    r2 = ctx.c.post("/api/v1/public/studio/bookings",
                    body={"hold": h.json["id"], "customer": {"name": "Ada", "email": "ada@example.com"}})
    assert r2.status == 409, r2
    # A hold that expired fails cleanly, and its slot is free again.
    h2 = ctx.c.post("/api/v1/public/studio/holds", body={"service": "cut", "start": "2026-06-03T11:00:00+01:00"})
    assert h2.status == 201
    at(ctx, "2026-06-01T06:05:01Z")
    r3 = ctx.c.post("/api/v1/public/studio/bookings",
                    body={"hold": h2.json["id"], "customer": {"name": "Ada", "email": "ada@example.com"}})
    assert r3.status == 409 and "expired" in r3.json["detail"], r3
    assert "2026-06-03T11:00:00+01:00" in free(ctx, "2026-06-03")


def test_approval_service_books_pending(ctx):
    at(ctx, NOW)
    r = book(ctx.c, "2026-06-04T09:00:00+01:00", service="vet")
    assert r.status == 201 and r.json["status"] == "pending", r


def test_idempotent_retry_returns_first_answer(ctx):
    at(ctx, NOW)
    r1 = book(ctx.c, "2026-06-03T12:00:00+01:00", key="retry-1")
    r2 = book(ctx.c, "2026-06-03T12:00:00+01:00", key="retry-1")
    assert r1.status == r2.status == 201
    assert r1.body == r2.body
    assert r2.header("Idempotent-Replayed") == "true"
    r3 = book(ctx.c, "2026-06-03T12:30:00+01:00", key="retry-1")
    assert r3.status == 422 and r3.json["errors"][0]["field"] == "Idempotency-Key"
    # Concurrent retries with one key make one booking.
    rs = harness.parallel(8, lambda i: book(ctx.srv.new_client(), "2026-06-03T13:00:00+01:00", key="burst"))
    assert all(r.status == 201 for r in rs), rs
    assert len({r.json["reference"] for r in rs}) == 1


def test_customer_matched_by_email_and_snapshots_kept(ctx):
    at(ctx, NOW)
    a = book(ctx.c, "2026-06-05T09:00:00+01:00", customer={"name": "Lea Stone", "email": "Lea@Example.COM"})
    b = book(ctx.c, "2026-06-05T10:00:00+01:00",
             customer={"name": "Lea S.", "email": "  lea@example.com ", "phone": "+44 7700 900123"})
    assert a.status == b.status == 201
    ga = manage(ctx, a.json["reference"], a.json["manage_token"]).json
    gb = manage(ctx, b.json["reference"], b.json["manage_token"]).json
    assert ga["customer"]["name"] == "Lea Stone"  # the later booking did not rename it
    assert gb["customer"] == {"name": "Lea S.", "email": "lea@example.com", "phone": "+44 7700 900123"}


def test_invalid_booking_lists_fields_and_writes_nothing(ctx):
    at(ctx, NOW)
    r = ctx.c.post("/api/v1/public/studio/bookings",
                   body={"service": "cut", "start": "soon", "customer": {"name": "", "email": "not-an-email"}})
    assert r.status == 422
    assert {e["field"] for e in r.json["errors"]} == {"start", "customer.name", "customer.email"}
    r = ctx.c.post("/api/v1/public/studio/bookings", body={"service": "cut", "start": "2026-06-03T15:00:00+01:00"})
    assert r.status == 422 and r.json["errors"][0]["field"] == "customer"
    assert "2026-06-03T15:00:00+01:00" in free(ctx, "2026-06-03")


def test_cancel_policy_edges_and_refund_tiers(ctx):
    at(ctx, NOW)
    start = "2026-06-08T09:00:00+01:00"  # 08:00 UTC
    b = book(ctx.c, start).json
    # 48 h before: full refund tier.
    at(ctx, "2026-06-06T08:00:00Z")
    b2 = book(ctx.c, "2026-06-08T10:00:00+01:00").json
    r = manage(ctx, b["reference"], b["manage_token"], "/cancel", {"reason": "moved away"})
    assert r.status == 200, r
    assert r.json["status"] == "cancelled" and r.json["refund_percent"] == 100
    assert r.json["refund"]["amount_minor"] == 4000 and r.json["fee"]["amount_minor"] == 0
    assert r.json["history"][-1]["reason"] == "moved away"
    assert start in free(ctx, "2026-06-08")
    # Cancelling twice is refused by the lifecycle.
    assert manage(ctx, b["reference"], b["manage_token"], "/cancel", {}).status == 409
    # Exactly 24 h before b2 (09:00 UTC): allowed, half refunded.
    at(ctx, "2026-06-07T09:00:00Z")
    r = manage(ctx, b2["reference"], b2["manage_token"], "/cancel", {})
    assert r.status == 200 and r.json["refund_percent"] == 50 and r.json["refund"]["amount_minor"] == 2000
    # One second past the window: refused with 422, booking untouched.
    at(ctx, "2026-06-06T08:00:00Z")
    b3 = book(ctx.c, "2026-06-08T11:00:00+01:00").json
    at(ctx, "2026-06-07T10:00:01Z")
    r = manage(ctx, b3["reference"], b3["manage_token"], "/cancel", {})
    assert r.status == 422 and "cancellation closed" in r.json["detail"], r
    assert manage(ctx, b3["reference"], b3["manage_token"]).json["status"] == "confirmed"


def test_reschedule_moves_in_one_step(ctx):
    at(ctx, NOW)
    b = book(ctx.c, "2026-06-09T09:00:00+01:00").json
    other = book(ctx.c, "2026-06-09T11:00:00+01:00").json
    r = manage(ctx, b["reference"], b["manage_token"], "/reschedule", {"start": "2026-06-09T09:30:00+01:00"})
    assert r.status == 200, r
    assert r.json["start"] == "2026-06-09T09:30:00+01:00"
    assert r.json["history"][-1]["kind"] == "rescheduled"
    # The history speaks RFC 3339 in the answer's zone, like every instant of the API.
    assert r.json["history"][-1]["changes"]["start"] == {
        "from": "2026-06-09T09:00:00+01:00", "to": "2026-06-09T09:30:00+01:00"}
    slots = free(ctx, "2026-06-09")
    assert "2026-06-09T09:00:00+01:00" in slots and "2026-06-09T09:30:00+01:00" not in slots
    # Onto a taken slot: 409, nothing moves.
    r = manage(ctx, b["reference"], b["manage_token"], "/reschedule", {"start": other["start"]})
    assert r.status == 409 and r.json["reason"] == "busy"
    assert manage(ctx, b["reference"], b["manage_token"]).json["start"] == "2026-06-09T09:30:00+01:00"
    # Inside the 12 h window: 422.
    at(ctx, "2026-06-08T20:30:01Z")
    r = manage(ctx, b["reference"], b["manage_token"], "/reschedule", {"start": "2026-06-09T14:00:00+01:00"})
    assert r.status == 422, r


def test_race_64_clients_10_slots(ctx):
    at(ctx, NOW)
    slots = ["2026-06-12T%02d:00:00+01:00" % h for h in range(8, 18)]  # ten one-hour slots of Bob

    def attempt(i):
        c = ctx.srv.new_client()
        r = book(c, slots[i % 10], service="solo",
                 customer={"name": "Racer %d" % i, "email": "racer%d@example.com" % i})
        c.close()
        return r

    rs = harness.parallel(64, attempt)
    assert all(not isinstance(r, Exception) for r in rs), rs
    won = [r for r in rs if r.status == 201]
    lost = [r for r in rs if r.status != 201]
    assert len(won) == 10, [r.status for r in rs]
    assert all(r.status == 409 and r.json["detail"] == "the slot is no longer free" for r in lost)
    assert sorted(r.json["start"] for r in won) == sorted(slots)
    assert free(ctx, "2026-06-12", service="solo") == []
    # The database itself holds exactly the ten winners.
    assert harness.query(ctx.db_url, "SELECT count(*) FROM bookings WHERE service_id = 'solo'") == "10"
    assert harness.query(ctx.db_url, "SELECT count(DISTINCT start_at) FROM bookings "
                                     "WHERE service_id = 'solo'") == "10"


def test_race_class_seats_never_oversold(ctx):
    at(ctx, NOW)

    def attempt(i):
        c = ctx.srv.new_client()
        r = book(c, "2026-06-10T18:00:00+01:00", service="yoga", seats=1 + i % 3,
                 customer={"name": "Yogi %d" % i, "email": "yogi%d@example.com" % i})
        c.close()
        return r

    rs = harness.parallel(32, attempt)
    taken = sum(r.json["seats"] for r in rs if r.status == 201)
    assert 10 <= taken <= 12, taken
    assert all(r.status in (201, 409) for r in rs), [r.status for r in rs]
    q = urllib.parse.urlencode({"service": "yoga", "from": "2026-06-10", "to": "2026-06-10"})
    day = ctx.c.get("/api/v1/public/studio/availability?" + q).json["days"][0]
    left = day["slots"][0]["seats_left"] if day["slots"] else 0
    assert left == 12 - taken
    stored = harness.query(ctx.db_url, "SELECT sum(seats) FROM bookings WHERE service_id = 'yoga' "
                                       "AND status IN ('held', 'pending', 'confirmed')")
    assert stored == str(taken), (stored, taken)


def test_calendar_ics_follows_the_booking(ctx):
    at(ctx, NOW)
    b = book(ctx.c, "2026-06-11T09:00:00+01:00").json
    h = {"Authorization": "Bearer " + b["manage_token"]}
    r = ctx.c.get("/api/v1/public/bookings/%s/calendar.ics" % b["reference"], headers=h)
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("text/calendar")
    assert "\r\n" in r.body and all(len(l.encode()) <= 75 for l in r.body.split("\r\n"))
    lines = r.body.replace("\r\n ", "").split("\r\n")
    assert "BEGIN:VCALENDAR" in lines and "METHOD:PUBLISH" in lines
    assert "DTSTART:20260611T080000Z" in lines and "DTEND:20260611T083000Z" in lines
    assert "STATUS:CONFIRMED" in lines and "SEQUENCE:0" in lines
    uid = [l for l in lines if l.startswith("UID:")][0]
    assert any(l.startswith("SUMMARY:Cut with Ann") for l in lines)
    assert manage(ctx, b["reference"], b["manage_token"], "/cancel", {}).status == 200
    r = ctx.c.get("/api/v1/public/bookings/%s/calendar.ics" % b["reference"], headers=h)
    lines = r.body.replace("\r\n ", "").split("\r\n")
    assert "METHOD:CANCEL" in lines and "STATUS:CANCELLED" in lines and "SEQUENCE:1" in lines
    assert uid in lines  # the same event, withdrawn
    assert ctx.c.get("/api/v1/public/bookings/%s/calendar.ics" % b["reference"]).status == 404
