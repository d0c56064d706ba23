"""Payments against the loopback stand-in of Stripe and PayPal (tests/tools/paystand.py): a
deposit paid and confirmed by the signed webhook, forged and replayed webhooks refused, an
abandoned payment whose hold expires and frees the slot, cancellations refunding by the
booking's policy tiers (customer, staff, force majeure), a failing refund retried until it
succeeds exactly once, PayPal's order flow, and staff's manual payments, history, revenue
and reconciliation CSV."""
import calendar
import json
import os
import sys
import tempfile
import time

import harness
import staff

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "tools"))
import paystand  # noqa: E402

FIXTURE = {
    "business": {"slug": "spa", "name": "Spa", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "services": [
        {"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 8000, "providers": ["ann"],
         "refund_tiers": [{"min_notice_s": 172800, "refund_percent": 100},
                          {"min_notice_s": 86400, "refund_percent": 50}]},
        {"id": "facial", "name": "Facial", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 5000, "providers": ["bob"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London
PW = "a long enough secret"
WHSEC = "whsec_test_payments"


def epoch(instant):
    return calendar.timegm(time.strptime(instant, "%Y-%m-%dT%H:%M:%SZ"))


def setup(ctx):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(FIXTURE, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    os.unlink(path)
    staff.make_user(ctx, "spa", "owner@spa.test", "owner", PW)
    ctx.now = epoch(NOW)
    ctx.pay = paystand.PayStand(stripe_webhook_secret=WHSEC, paypal_webhook_id="WH-SPA",
                                clock=lambda: ctx.now)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--public-url", "https://spa.test",
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", WHSEC,
        "--stripe-api-base", ctx.pay.url,
        "--paypal-client-id", paystand.PAYPAL_ID, "--paypal-client-secret", paystand.PAYPAL_SECRET,
        "--paypal-webhook-id", "WH-SPA", "--paypal-api-base", ctx.pay.url])
    ctx.c = ctx.srv.client
    base = "http://127.0.0.1:%d/api/v1/payments" % ctx.srv.port
    ctx.pay.stripe_webhook = base + "/stripe/webhook"
    ctx.pay.paypal_webhook = base + "/paypal/webhook"
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)
    r = ctx.s.put(ctx.s.path("/services/massage/payment"), body={"mode": "deposit", "deposit_percent": 25,
                                                                 "no_show_fee_minor": 1500})
    assert r.status == 200 and r.json["mode"] == "deposit", r


def teardown(ctx):
    ctx.pay.stop()


def at(ctx, instant_epoch):
    ctx.now = instant_epoch
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(instant_epoch))
    assert ctx.c.post("/api/v1/test/clock", body={"now": iso}).status == 200
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)  # the move may have ended the session


def book(ctx, start, email="zoe@example.test", service="massage"):
    r = ctx.c.post("/api/v1/public/spa/bookings", body={
        "service": service, "start": start, "customer": {"name": "Zoe", "email": email}})
    assert r.status == 201, r
    return r.json


def auth(b):
    return {"Authorization": "Bearer " + b["manage_token"]}


def payment(ctx, b):
    r = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=auth(b))
    assert r.status == 200, r
    return r.json


def pay_stripe(ctx, b):
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "stripe"},
                   headers=auth(b))
    assert r.status == 200, r
    sid = r.json["redirect_url"].rsplit("/", 1)[1]
    return sid


def paid(ctx, b):
    sid = pay_stripe(ctx, b)
    code, _ = ctx.pay.stripe_complete(sid)
    assert code == 200
    assert payment(ctx, b)["status"] == "confirmed"
    return sid


def free(ctx, date, service="massage"):
    r = ctx.c.get("/api/v1/public/spa/availability?service=%s&from=%s&to=%s" % (service, date, date))
    return [s["start"] for s in r.json["days"][0]["slots"]]


def wait_for(fn, what, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def staff_payments(ctx, ref):
    r = ctx.s.get(ctx.s.path("/bookings/%s/payments" % ref))
    assert r.status == 200, r
    return r.json


def refunds_of(ctx, ref):
    return [p for p in staff_payments(ctx, ref)["payments"] if p["kind"] == "refund"]


def test_a_settings_validated(ctx):
    at(ctx, epoch(NOW))
    r = ctx.s.get(ctx.s.path("/services/massage/payment"))
    assert r.status == 200 and r.json["deposit_percent"] == 25 and r.json["methods"] == ["stripe", "paypal"]
    r = ctx.s.put(ctx.s.path("/services/facial/payment"), body={"mode": "deposit"})
    assert r.status == 422 and "deposit_minor" in r.body, r
    r = ctx.s.put(ctx.s.path("/services/facial/payment"), body={"mode": "later"})
    assert r.status == 422 and "mode" in r.body, r
    r = ctx.s.put(ctx.s.path("/services/facial/payment"), body={"mode": "full", "deposit_minor": -1})
    assert r.status == 422 and "deposit_minor" in r.body, r
    r = ctx.s.put(ctx.s.path("/services/nope/payment"), body={"mode": "full"})
    assert r.status == 404
    # A service without settings takes no payment: the booking is confirmed at once.
    b = book(ctx, "2026-06-12T08:00:00Z", service="facial")
    assert b["status"] == "confirmed"
    assert payment(ctx, b)["payment"]["state"] == "none"


def test_deposit_paid_and_confirmed_by_signed_webhook(ctx):
    at(ctx, epoch(NOW))
    b = book(ctx, "2026-06-12T09:00:00Z")
    assert b["status"] == "pending"
    p = payment(ctx, b)
    assert p["payment"]["state"] == "awaiting" and p["payment"]["due"] == {"amount_minor": 2000, "currency": "EUR"}
    assert p["payment"]["expires_at"] and p["methods"] == ["stripe", "paypal"]
    assert "2026-06-12T10:00:00+01:00" not in free(ctx, "2026-06-12")  # the hold keeps the time
    # No message before it is paid.
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.id = n.booking_id "
                                     "WHERE b.reference = '%s'" % b["reference"]) == "0"
    calls_before = len(ctx.pay.calls)
    sid = pay_stripe(ctx, b)
    assert sid in ctx.pay.sessions and ctx.pay.sessions[sid]["amount_total"] == 2000
    assert ctx.pay.sessions[sid]["currency"] == "eur"
    assert sid == pay_stripe(ctx, b), "asking again reuses the checkout"
    creates = [k for m, path, k in ctx.pay.calls[calls_before:] if path == "/v1/checkout/sessions"]
    assert len(creates) == 1 and creates[0].startswith("bookd-pay")
    # The return page's read before the webhook: still pending, never assumed paid.
    assert payment(ctx, b)["status"] == "pending"
    code, ev = ctx.pay.stripe_complete(sid)
    assert code == 200
    p = payment(ctx, b)
    assert p["status"] == "confirmed" and p["payment"]["state"] == "paid"
    assert p["payment"]["paid"]["amount_minor"] == 2000 and p["payment"]["expires_at"] is None
    assert harness.query(ctx.db_url, "SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.id = n.booking_id "
                                     "WHERE b.reference = '%s' AND n.event = 'confirmed'" % b["reference"]) != "0"
    # The same delivery again changes nothing.
    assert ctx.pay.stripe_send(ctx.pay.events[ev["id"]][1]) == 200
    assert payment(ctx, b)["payment"]["paid"]["amount_minor"] == 2000
    hist = ctx.c.get("/api/v1/public/bookings/%s" % b["reference"], headers=auth(b)).json["history"]
    assert any(h["kind"] == "paid" and h["to"] == "confirmed" for h in hist), hist


def test_forged_or_replayed_webhook_refused(ctx):
    at(ctx, epoch(NOW))
    b = book(ctx, "2026-06-12T10:00:00Z")
    sid = pay_stripe(ctx, b)
    code, ev = ctx.pay.stripe_complete(sid, secret="whsec_someone_else")
    assert code == 400
    assert payment(ctx, b)["status"] == "pending"
    body = ctx.pay.events[ev["id"]][1]
    assert ctx.pay.stripe_send(body, timestamp=ctx.now - 3600) == 400  # a replay of an old delivery
    assert ctx.pay.stripe_send(body, timestamp=ctx.now + 3600) == 400
    r = ctx.c.post("/api/v1/payments/stripe/webhook", raw=body, headers={"Content-Type": "application/json"})
    assert r.status == 400  # unsigned
    tampered = body.replace(b'"amount_total": 2000', b'"amount_total": 1')
    mac_ok = ctx.pay.stripe_send(body)  # the genuine one, now
    assert mac_ok == 200 and payment(ctx, b)["status"] == "confirmed"
    assert ctx.pay.stripe_send(tampered, secret="whsec_wrong") == 400
    # Replayed later, outside the tolerance: refused; the booking is paid once.
    assert ctx.pay.stripe_send(body, timestamp=ctx.now - 301) == 400
    assert payment(ctx, b)["payment"]["paid"]["amount_minor"] == 2000
    # Genuinely signed, but for less than is due: refused, the booking keeps waiting.
    b2 = book(ctx, "2026-06-12T12:00:00Z")
    sid = pay_stripe(ctx, b2)
    ctx.pay.sessions[sid]["amount_total"] = 1
    code, _ = ctx.pay.stripe_complete(sid)
    assert code == 422
    p = payment(ctx, b2)
    assert p["status"] == "pending" and p["payment"]["state"] == "awaiting", p


def test_payment_abandoned_hold_expires_and_frees_slot(ctx):
    at(ctx, epoch(NOW))
    start = ctx.now
    b = book(ctx, "2026-06-12T11:00:00Z")
    slot = "2026-06-12T12:00:00+01:00"
    assert slot not in free(ctx, "2026-06-12")
    sid = pay_stripe(ctx, b)
    at(ctx, start + 601)
    wait_for(lambda: payment(ctx, b)["status"] == "expired", "the unpaid booking to expire")
    assert slot in free(ctx, "2026-06-12")
    assert payment(ctx, b)["payment"]["state"] == "expired"
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "stripe"}, headers=auth(b))
    assert r.status == 409
    # Paid after all, too late: the money goes back in full, the slot stays free.
    code, _ = ctx.pay.stripe_complete(sid)
    assert code == 200
    wait_for(lambda: payment(ctx, b)["payment"]["state"] == "refunded", "the late payment's refund")
    assert payment(ctx, b)["status"] == "expired" and slot in free(ctx, "2026-06-12")
    at(ctx, start)


def cancel_at(ctx, start_iso, before_s):
    b = book(ctx, start_iso)
    paid(ctx, b)
    at(ctx, epoch(start_iso) - before_s)
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={}, headers=auth(b))
    assert r.status == 200, r
    return b


def test_cancel_in_each_refund_tier_refunds_stated_amount(ctx):
    at(ctx, epoch(NOW))
    base = ctx.now
    # (start, notice at cancellation, refund of the 2000 deposit)
    cases = [("2026-06-15T08:00:00Z", 3 * 86400, 2000),
             ("2026-06-15T09:00:00Z", 36 * 3600, 1000),
             ("2026-06-15T10:00:00Z", 2 * 3600, 0)]
    for start, notice, want in cases:
        at(ctx, base)
        b = book(ctx, start)
        paid(ctx, b)
        at(ctx, epoch(start) - notice)
        preview = staff_payments(ctx, b["reference"])["refund_if_cancelled"]
        assert preview["policy"]["amount_minor"] == want, (start, preview)
        r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={}, headers=auth(b))
        assert r.status == 200 and r.json["status"] == "cancelled", r
        if want:
            wait_for(lambda: payment(ctx, b)["payment"]["refunded"]["amount_minor"] == want, "refund %d" % want)
            pi = [s for s in ctx.pay.sessions.values()
                  if s["metadata"].get("booking") == b["reference"]][0]["payment_intent"]
            refs = [x for x in ctx.pay.refunds if x["payment"] == pi]
            assert len(refs) == 1 and refs[0]["amount"] == want, ctx.pay.refunds
            assert payment(ctx, b)["payment"]["state"] in ("refunded", "partially_refunded")
        else:
            time.sleep(0.3)
            assert refunds_of(ctx, b["reference"]) == []
            assert payment(ctx, b)["payment"]["state"] == "paid"
    at(ctx, base)


def test_staff_cancel_by_policy_full_and_force_majeure(ctx):
    at(ctx, epoch(NOW))
    base = ctx.now
    start = "2026-06-16T08:00:00Z"
    b = book(ctx, start)
    paid(ctx, b)
    at(ctx, epoch(start) - 30 * 3600)  # the 50% tier
    r = ctx.s.post(ctx.s.path("/bookings/%s/cancel" % b["reference"]), body={"reason": "asked by phone",
                                                                             "refund": "policy"})
    assert r.status == 200, r
    wait_for(lambda: payment(ctx, b)["payment"]["refunded"]["amount_minor"] == 1000, "policy refund")
    r = ctx.s.post(ctx.s.path("/bookings/%s/cancel" % b["reference"]), body={"reason": "x", "refund": "some"})
    assert r.status == 422 and "refund" in r.body
    at(ctx, base)
    b2 = book(ctx, "2026-06-16T09:00:00Z")
    paid(ctx, b2)
    at(ctx, epoch("2026-06-16T09:00:00Z") - 3600)  # no refund by the policy now
    r = ctx.s.post(ctx.s.path("/bookings/%s/force-majeure" % b2["reference"]), body={})
    assert r.status == 422 and "reason" in r.body
    r = ctx.s.post(ctx.s.path("/bookings/%s/force-majeure" % b2["reference"]), body={"reason": "flood"})
    assert r.status == 200 and r.json["status"] == "cancelled", r
    assert r.json["refund_if_cancelled"]["force_majeure"]["amount_minor"] == 0  # nothing left to give
    wait_for(lambda: payment(ctx, b2)["payment"]["refunded"]["amount_minor"] == 2000, "force majeure refund")
    assert [x["reason"] for x in refunds_of(ctx, b2["reference"])] == ["force_majeure"]
    audit = ctx.s.get(ctx.s.path("/audit?limit=20"))
    assert audit.status == 200 and "force majeure: flood" in audit.body, audit.body[:500]
    hist = ctx.c.get("/api/v1/public/bookings/%s" % b2["reference"], headers=auth(b2)).json["history"]
    assert any("force majeure" in (h.get("reason") or "") for h in hist), hist
    at(ctx, base)


def test_failed_refund_retried_then_succeeds_once(ctx):
    at(ctx, epoch(NOW))
    base = ctx.now
    start = "2026-06-17T08:00:00Z"
    b = book(ctx, start)
    paid(ctx, b)
    pi = [s for s in ctx.pay.sessions.values() if s["metadata"].get("booking") == b["reference"]][0]["payment_intent"]
    ctx.pay.fail_refunds = 1
    calls_before = ctx.pay.refund_calls
    at(ctx, epoch(start) - 4 * 86400)
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={}, headers=auth(b))
    assert r.status == 200
    wait_for(lambda: ctx.pay.refund_calls == calls_before + 1, "the first refund call")
    rf = wait_for(lambda: [x for x in refunds_of(ctx, b["reference"]) if x["attempts"] == 1], "a failed attempt")[0]
    assert rf["status"] == "queued" and "temporary failure" in rf["last_error"]
    assert payment(ctx, b)["payment"]["state"] == "refund_pending"
    at(ctx, ctx.now + 10)  # past the first back-off
    wait_for(lambda: payment(ctx, b)["payment"]["state"] == "refunded", "the retried refund")
    at(ctx, ctx.now + 3600)
    time.sleep(1.2)
    mine = [x for x in ctx.pay.refunds if x["payment"] == pi]
    assert len(mine) == 1 and mine[0]["amount"] == 2000, ctx.pay.refunds
    assert ctx.pay.refund_calls == calls_before + 2
    [rf] = refunds_of(ctx, b["reference"])
    assert rf["status"] == "succeeded" and rf["attempts"] == 2 and rf["provider_ref"] == mine[0]["id"]
    at(ctx, base)


def test_paypal_order_approved_captured_confirmed(ctx):
    at(ctx, epoch(NOW))
    b = book(ctx, "2026-06-18T08:00:00Z")
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "paypal"}, headers=auth(b))
    assert r.status == 200, r
    oid = r.json["redirect_url"].rsplit("/", 1)[1]
    assert ctx.pay.orders[oid]["purchase_units"][0]["amount"] == {"currency_code": "EUR", "value": "20.00"}
    code, _ = ctx.pay.paypal_approve(oid, forge=True)
    assert code == 400 and payment(ctx, b)["status"] == "pending"
    code, _ = ctx.pay.paypal_approve(oid)
    assert code == 200
    p = payment(ctx, b)
    assert p["status"] == "confirmed" and p["payment"]["paid"]["amount_minor"] == 2000
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "bitcoin"}, headers=auth(b))
    assert r.status == 422 and "method" in r.body


def test_manual_payments_history_revenue_csv(ctx):
    at(ctx, epoch(NOW))
    r = ctx.s.post(ctx.s.path("/bookings"), body={"service": "facial", "start": "2026-06-19T08:00:00Z",
                                                  "customer": {"name": "Max", "email": "max@example.test"},
                                                  "source": "phone"})
    assert r.status == 201, r
    ref = r.json["reference"]
    r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % ref), body={"method": "cash", "amount_minor": 5000,
                                                                   "note": "paid at the desk"})
    assert r.status == 201 and r.json["payment"]["paid"]["amount_minor"] == 5000, r
    r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % ref), body={"method": "card_terminal", "kind": "refund",
                                                                   "amount_minor": 1000})
    assert r.status == 201 and r.json["payment"]["state"] == "partially_refunded"
    for bad in ({"method": "gold", "amount_minor": 1}, {"method": "cash", "amount_minor": 0},
                {"method": "cash"}, {"method": "cash", "amount_minor": 5, "colour": "red"}):
        r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % ref), body=bad)
        assert r.status == 422, (bad, r)
    cust = staff_payments(ctx, ref)
    assert [p["method"] for p in cust["payments"]] == ["cash", "card_terminal"]
    cid = ctx.s.get(ctx.s.path("/bookings/%s" % ref)).json["customer"]["id"]
    r = ctx.s.get(ctx.s.path("/customers/%s/payments" % cid))
    assert r.status == 200 and r.json["paid"]["amount_minor"] == 5000 and r.json["refunded"]["amount_minor"] == 1000
    r = ctx.s.get(ctx.s.path("/payments/revenue?from=2026-05-01&to=2026-12-31"))
    assert r.status == 200, r
    by = {m["method"]: m for m in r.json["by_method"]}
    assert by["cash"]["received"]["amount_minor"] == 5000 and by["card_terminal"]["refunded"]["amount_minor"] == 1000
    assert r.json["net"]["amount_minor"] == r.json["received"]["amount_minor"] - r.json["refunded"]["amount_minor"]
    r = ctx.s.get(ctx.s.path("/payments.csv?from=2026-05-01&to=2026-12-31"))
    assert r.status == 200 and r.header("Content-Type").startswith("text/csv")
    lines = r.body.strip().split("\r\n")
    assert lines[0].startswith("payment,updated_at,created_at,kind,method,status,amount_minor,amount")
    assert any(",cash,succeeded,5000,50.00,EUR," in l and ref in l for l in lines), lines
    assert any("stripe" in l for l in lines)  # the online payments of the other tests
    r = ctx.s.get(ctx.s.path("/payments.csv?from=2026-06-02&to=2026-06-01"))
    assert r.status == 422


def test_no_show_keeps_the_fee_and_refunds_the_rest(ctx):
    at(ctx, epoch(NOW))
    start = "2026-06-22T08:00:00Z"
    b = book(ctx, start)
    paid(ctx, b)
    assert payment(ctx, b)["payment"]["no_show_fee"]["amount_minor"] == 1500
    at(ctx, epoch(start) + 1800)  # before its end: the worker would complete it after
    r = ctx.s.post(ctx.s.path("/bookings/%s/no-show" % b["reference"]), body={})
    assert r.status == 200 and r.json["status"] == "no_show", r
    wait_for(lambda: payment(ctx, b)["payment"]["refunded"]["amount_minor"] == 500, "the refund beyond the fee")
    assert [x["reason"] for x in refunds_of(ctx, b["reference"])] == ["no_show"]
    at(ctx, epoch(NOW))
