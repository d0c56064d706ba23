"""Every path by which a customer makes a booking final asks for the payment its service
needs: a public booking confirmed from the emailed link and a waiting-list offer accepted
go pending on a payment hold like a direct public booking, are confirmed only by the
provider's signed webhook, and when left unpaid expire and free their time. A booking that
expires unpaid is taken off the customer's counters again. Against the loopback stand-in of
Stripe (tests/tools/paystand.py)."""
import calendar
import os
import re
import sys
import time

import harness
import staff
from sinks import SmtpSink

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "tools"))
import paystand  # noqa: E402

FIXTURE = {
    "business": {"slug": "spa", "name": "Spa", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [
        {"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 8000, "providers": ["ann"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London
PW = "a long enough secret"
WHSEC = "whsec_test_paths"


def epoch(instant):
    return calendar.timegm(time.strptime(instant, "%Y-%m-%dT%H:%M:%SZ"))


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "spa", "owner@spa.test", "owner", PW)
    ctx.now = epoch(NOW)
    ctx.sink = SmtpSink()
    ctx.pay = paystand.PayStand(stripe_webhook_secret=WHSEC, clock=lambda: ctx.now)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--public-url", "https://spa.test", "--smtp-url", ctx.sink.url,
        "--smtp-from", "bookings@spa.test",
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", WHSEC,
        "--stripe-api-base", ctx.pay.url])
    ctx.c = ctx.srv.client
    ctx.pay.stripe_webhook = "http://127.0.0.1:%d/api/v1/payments/stripe/webhook" % ctx.srv.port
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)
    r = ctx.s.put(ctx.s.path("/services/massage/payment"), body={"mode": "deposit", "deposit_percent": 25})
    assert r.status == 200, r


def teardown(ctx):
    ctx.pay.stop()
    ctx.sink.stop()


def at(ctx, t):
    ctx.now = t
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    assert ctx.c.post("/api/v1/test/clock", body={"now": iso}).status == 200
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)


def confirm_mode(ctx, on):
    r = ctx.s.request("PATCH", ctx.s.path("/protection"), body={"confirm_by_email": on})
    assert r.status == 200 and r.json["confirm_by_email"] is on, r


def book(ctx, start, email):
    r = ctx.c.post("/api/v1/public/spa/bookings", body={
        "service": "massage", "start": start, "customer": {"name": "Zoe", "email": email}})
    assert r.status == 201, r
    return r.json


def payment(ctx, ref, bearer):
    r = ctx.c.get("/api/v1/public/bookings/%s/payment" % ref, headers={"Authorization": "Bearer " + bearer})
    assert r.status == 200, r
    return r.json


def pay_and_complete(ctx, ref, bearer):
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % ref, body={"method": "stripe"},
                   headers={"Authorization": "Bearer " + bearer})
    assert r.status == 200, r
    code, _ = ctx.pay.stripe_complete(r.json["redirect_url"].rsplit("/", 1)[1])
    assert code == 200


def free(ctx, date):
    r = ctx.c.get("/api/v1/public/spa/availability?service=massage&from=%s&to=%s" % (date, date))
    return [s["start"] for s in r.json["days"][0]["slots"]]


def wait_for(fn, what, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def counters(ctx, email):
    q = "SELECT bookings_count || ',' || spend_minor FROM customers WHERE email_norm = '%s'" % email
    return tuple(int(x) for x in harness.query(ctx.db_url, q).split(","))


def confirm_link(ctx, email):
    got = ctx.sink.wait(lambda m: email in m["to"] and "confirm" in str(m["msg"]["Subject"]).lower(), timeout=5)
    assert got, [m["to"] for m in ctx.sink.messages]
    text = got[-1]["msg"].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://spa\.test(/b/[A-Z0-9-]+/confirm\?t=[A-Za-z0-9_-]+)", text).group(1)


def test_unpaid_expiry_leaves_the_customer_counters(ctx):
    at(ctx, epoch(NOW))
    b = book(ctx, "2026-06-08T09:00:00Z", "ivy@example.test")
    assert b["status"] == "pending"
    assert counters(ctx, "ivy@example.test") == (1, 8000)
    at(ctx, epoch(NOW) + 601)
    wait_for(lambda: payment(ctx, b["reference"], b["manage_token"])["status"] == "expired", "expiry")
    # The booking never took place: it no longer counts (it did before).
    assert counters(ctx, "ivy@example.test") == (0, 0)
    cid = ctx.s.get(ctx.s.path("/bookings/%s" % b["reference"])).json["customer"]["id"]
    assert ctx.s.get(ctx.s.path("/customers/" + cid)).json["stats"]["bookings"] == 0
    at(ctx, epoch(NOW))


def test_email_confirmed_booking_must_be_paid(ctx):
    at(ctx, epoch(NOW))
    confirm_mode(ctx, True)
    try:
        start = "2026-06-09T09:00:00+01:00"
        r = book(ctx, start, "eve@example.test")
        assert r["status"] == "held" and r["awaiting_confirmation"] is True, r
        ref, bearer = r["reference"], r["manage_token"]
        link = confirm_link(ctx, "eve@example.test")
        page = ctx.c.post(link, body={})
        assert page.status == 200 and "Payment needed" in page.body, page
        p = payment(ctx, ref, bearer)
        # Confirmed by email but not paid: pending on its payment hold, the slot kept.
        assert p["status"] == "pending" and p["payment"]["state"] == "awaiting", p
        assert p["payment"]["due"]["amount_minor"] == 2000
        assert p["payment"]["expires_at"] == "2026-06-01T07:10:00+01:00", p
        assert start not in free(ctx, "2026-06-09")
        assert counters(ctx, "eve@example.test") == (1, 8000)
        pay_and_complete(ctx, ref, bearer)
        p = payment(ctx, ref, bearer)
        assert p["status"] == "confirmed" and p["payment"]["state"] == "paid", p
        # Another, confirmed and left unpaid: it expires and frees its time.
        start2 = "2026-06-09T10:00:00+01:00"
        r2 = book(ctx, start2, "fay@example.test")
        ctx.c.post(confirm_link(ctx, "fay@example.test"), body={})
        assert payment(ctx, r2["reference"], r2["manage_token"])["status"] == "pending"
        at(ctx, epoch(NOW) + 601)
        wait_for(lambda: payment(ctx, r2["reference"], r2["manage_token"])["status"] == "expired", "expiry")
        assert start2 in free(ctx, "2026-06-09")
        assert counters(ctx, "fay@example.test") == (0, 0)
    finally:
        at(ctx, epoch(NOW))
        confirm_mode(ctx, False)


def staff_book(ctx, start, email):
    r = ctx.s.post(ctx.s.path("/bookings"), body={"service": "massage", "start": start,
                                                  "customer": {"name": "X", "email": email}})
    assert r.status == 201 and r.json["status"] == "confirmed", r  # staff bookings pay by hand
    return r.json


def offered(ctx, start, date, email):
    """A staff booking at start cancelled, offered to a waiting-list entry of email."""
    x = staff_book(ctx, start, "x-" + email)
    j = ctx.c.post("/api/v1/public/spa/waitlist", body={
        "service": "massage", "customer": {"name": "W", "email": email}, "from": date, "to": date})
    assert j.status == 201, j
    e = j.json
    r = ctx.s.post(ctx.s.path("/bookings/%s/cancel" % x["reference"]), body={"reason": "moved"})
    assert r.status == 200, r
    got = ctx.c.get("/api/v1/public/waitlist/%s?t=%s" % (e["id"], e["token"])).json
    assert got["status"] == "offered", got
    return e


def test_waitlist_offer_accepted_must_be_paid(ctx):
    at(ctx, epoch(NOW))
    e = offered(ctx, "2026-06-10T09:00:00+01:00", "2026-06-10", "wes@example.test")
    r = ctx.c.post("/api/v1/public/waitlist/%s/accept?t=%s" % (e["id"], e["token"]))
    assert r.status == 201, r
    assert r.json["status"] == "pending", r.json
    ref, bearer = r.json["reference"], r.json["manage_token"]
    p = payment(ctx, ref, bearer)
    assert p["payment"]["state"] == "awaiting" and p["payment"]["due"]["amount_minor"] == 2000, p
    assert p["payment"]["expires_at"] == "2026-06-01T07:10:00+01:00", p
    pay_and_complete(ctx, ref, bearer)
    assert payment(ctx, ref, bearer)["status"] == "confirmed"
    # Accepted and left unpaid: it expires and the time is free again.
    e2 = offered(ctx, "2026-06-11T09:00:00+01:00", "2026-06-11", "wyn@example.test")
    r = ctx.c.post("/api/v1/public/waitlist/%s/accept?t=%s" % (e2["id"], e2["token"]))
    assert r.status == 201 and r.json["status"] == "pending", r
    ref2, bearer2 = r.json["reference"], r.json["manage_token"]
    assert "2026-06-11T09:00:00+01:00" not in free(ctx, "2026-06-11")
    at(ctx, epoch(NOW) + 601)
    wait_for(lambda: payment(ctx, ref2, bearer2)["status"] == "expired", "expiry")
    assert "2026-06-11T09:00:00+01:00" in free(ctx, "2026-06-11")
    assert counters(ctx, "wyn@example.test") == (0, 0)
    at(ctx, epoch(NOW))
