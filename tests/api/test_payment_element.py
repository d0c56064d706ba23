"""Stripe's Payment Element: a booking awaiting payment gets a PaymentIntent made server-side
under an idempotency key (asking again answers the same intent), the page confirms it with
Stripe.js, and only the signed payment_intent.succeeded webhook confirms the booking; the
Content-Security-Policy lets the page load Stripe.js only when the Payment Element is
configured. Against the loopback stand-in of Stripe (tests/tools/paystand.py), which also
serves the stand-in of Stripe.js the page loads in tests."""
import calendar
import json
import os
import sys
import time
import urllib.request

import harness
import staff

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "tools"))
import paystand  # noqa: E402

FIXTURE = {
    "business": {"slug": "spa", "name": "Spa", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
                  "price_minor": 8000, "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"
WHSEC = "whsec_test_element"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "spa", "owner@spa.test", "owner", PW)
    now = calendar.timegm(time.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ"))
    ctx.pay = paystand.PayStand(stripe_webhook_secret=WHSEC, clock=lambda: now)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--public-url", "https://spa.test",
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", WHSEC,
        "--stripe-api-base", ctx.pay.url, "--stripe-publishable-key", paystand.STRIPE_PK,
        "--stripe-js-url", ctx.pay.url + "/v3/"])
    ctx.c = ctx.srv.client
    ctx.pay.stripe_webhook = "http://127.0.0.1:%d/api/v1/payments/stripe/webhook" % ctx.srv.port
    s = staff.login(ctx, "spa", "owner@spa.test", PW)
    assert s.put(s.path("/services/massage/payment"), body={"mode": "full"}).status == 200


def teardown(ctx):
    ctx.pay.stop()


def book(ctx, start):
    r = ctx.c.post("/api/v1/public/spa/bookings", body={
        "service": "massage", "start": start, "customer": {"name": "Zoe", "email": "zoe@example.test"}})
    assert r.status == 201 and r.json["status"] == "pending", r
    return r.json, {"Authorization": "Bearer " + r.json["manage_token"]}


def confirm_in_page(ctx, pi, secret):
    """What the page's Stripe.js does: confirm with the publishable key and client secret."""
    rq = urllib.request.Request(ctx.pay.url + "/v1/payment_intents/%s/confirm" % pi, method="POST",
                                data=("client_secret=" + secret).encode(),
                                headers={"Authorization": "Bearer " + paystand.STRIPE_PK,
                                         "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(rq, timeout=10) as r:
        return json.loads(r.read())


def test_intent_made_once_and_only_the_webhook_confirms(ctx):
    b, h = book(ctx, "2026-06-08T09:00:00Z")
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h).json
    assert p["methods"] == ["stripe", "stripe_element"], p
    r = ctx.c.post("/api/v1/public/bookings/%s/payment-intent" % b["reference"], body={}, headers=h)
    assert r.status == 200, r
    got = r.json
    assert got["publishable_key"] == paystand.STRIPE_PK and got["js_url"] == ctx.pay.url + "/v3/"
    assert got["amount"] == {"amount_minor": 8000, "currency": "EUR"}
    again = ctx.c.post("/api/v1/public/bookings/%s/payment-intent" % b["reference"], body={}, headers=h).json
    assert again["client_secret"] == got["client_secret"]  # the same intent, by its key
    pi = got["client_secret"].split("_secret_")[0]
    creates = [c for c in ctx.pay.calls if c[0] == "POST" and c[1] == "/v1/payment_intents"]
    assert len(creates) == 2 and creates[0][2] and creates[0][2] == creates[1][2], creates
    assert len([i for i in ctx.pay.intents.values() if i["metadata"].get("booking") == b["reference"]]) == 1
    assert ctx.pay.intents[pi]["amount"] == 8000 and ctx.pay.intents[pi]["currency"] == "eur"
    # A wrong token is 404; nothing is said about the booking.
    assert ctx.c.post("/api/v1/public/bookings/%s/payment-intent" % b["reference"], body={},
                      headers={"Authorization": "Bearer nope"}).status == 404
    # The page confirms while the webhook is not delivered: the booking still waits.
    hook = ctx.pay.stripe_webhook
    ctx.pay.stripe_webhook = None
    try:
        assert confirm_in_page(ctx, pi, got["client_secret"])["status"] == "succeeded"
    finally:
        ctx.pay.stripe_webhook = hook
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h).json
    assert p["status"] == "pending" and p["payment"]["state"] == "awaiting", p
    # A forged event is refused; the signed one confirms.
    ev = [v for v in ctx.pay.events.values()][-1][1]
    assert ctx.pay.stripe_send(ev, secret="whsec_forged") == 400
    assert ctx.pay.stripe_send(ev) == 200
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h).json
    assert p["status"] == "confirmed" and p["payment"]["paid"]["amount_minor"] == 8000, p
    assert ctx.pay.stripe_send(ev) == 200  # a repeated delivery changes nothing
    r = ctx.c.post("/api/v1/public/bookings/%s/payment-intent" % b["reference"], body={}, headers=h)
    assert r.status == 409, r


def wait_for(fn, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def test_paid_through_a_checkout_given_up_still_counts_and_a_second_payment_goes_back(ctx):
    """A customer starts Stripe Checkout, switches to the Payment Element, then pays in the
    Checkout tab after all: the booking is confirmed (the payment was not ignored as not
    ours), and when the Element is paid too, that second payment is refunded in full, once."""
    b, h = book(ctx, "2026-06-09T09:00:00Z")
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "stripe"}, headers=h)
    assert r.status == 200, r
    sid = r.json["redirect_url"].rsplit("/", 1)[1]
    r = ctx.c.post("/api/v1/public/bookings/%s/payment-intent" % b["reference"], body={}, headers=h)
    assert r.status == 200, r
    pi, secret = r.json["client_secret"].split("_secret_")[0], r.json["client_secret"]
    code, _ = ctx.pay.stripe_complete(sid)
    assert code == 200, code
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h).json
    assert p["status"] == "confirmed" and p["payment"]["paid"]["amount_minor"] == 8000, p
    assert confirm_in_page(ctx, pi, secret)["status"] == "succeeded"
    got = wait_for(lambda: [x for x in ctx.pay.refunds if x["payment"] == pi], "the second payment refunded")
    assert len(got) == 1 and got[0]["amount"] == 8000, ctx.pay.refunds
    ev = [v for v in ctx.pay.events.values()][-1][1]
    assert ctx.pay.stripe_send(ev) == 200  # delivered again: nothing more
    s = staff.login(ctx, "spa", "owner@spa.test", PW)
    pays = s.get(s.path("/bookings/%s/payments" % b["reference"])).json["payments"]
    charges = sorted((x["status"], x["method"], x["reason"]) for x in pays if x["kind"] == "charge")
    assert charges == [("succeeded", "stripe", ""), ("succeeded", "stripe", "second_payment")], pays
    wait_for(lambda: [x for x in s.get(s.path("/bookings/%s/payments" % b["reference"])).json["payments"]
                      if x["kind"] == "refund" and x["status"] == "succeeded"], "the refund recorded")
    assert len([x for x in ctx.pay.refunds if x["payment"] == pi]) == 1
    assert ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h).json["status"] == "confirmed"


def test_csp_allows_stripe_js_only_when_configured(ctx):
    page = ctx.c.get("/book/spa")
    csp = page.header("Content-Security-Policy")
    assert "script-src 'self' " + ctx.pay.url + ";" in csp, csp
    assert "frame-src 'self' " + ctx.pay.url + ";" in csp and "connect-src 'self' " + ctx.pay.url + ";" in csp, csp
    # Without the publishable key: no Payment Element, and the page's policy names no one else.
    srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", WHSEC,
        "--stripe-api-base", ctx.pay.url, "--stripe-js-url", ctx.pay.url + "/v3/"])
    try:
        csp = srv.client.get("/book/spa").header("Content-Security-Policy")
        assert "script-src 'self';" in csp and "frame-src" not in csp and ctx.pay.url not in csp, csp
    finally:
        srv.stop()
