"""Loyalty: the business's programme (points per unit paid, tiers by lifetime value or
visits, multipliers, tier discounts) validated with the field named; a customer earns on
money actually paid (an online deposit confirmed by the signed webhook, cash recorded by
staff) and on the rest of a completed booking's price, loses a cancelled booking's points,
reaches a tier whose discount lowers the price of their next booking (and so its deposit),
and staff adjust points with a reason; every change is in the customer's history. Against
the loopback stand-in of Stripe (tests/tools/paystand.py)."""
import calendar
import json
import os
import sys
import time

import harness
import staff

sys.path.insert(0, os.path.join(harness.ROOT, "tests", "tools"))
import paystand  # noqa: E402

FIXTURE = {
    "business": {"slug": "spa", "name": "Spa", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [
        {"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 8000, "providers": ["ann"]},
        {"id": "facial", "name": "Facial", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 5000, "providers": ["ann"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"
WHSEC = "whsec_test_loyalty"
PROGRAMME = {"enabled": True, "points_per_unit": 2, "tier_basis": "value", "tiers": [
    {"name": "Silver", "threshold": 10000, "multiplier_bp": 15000, "discount_bp": 500},
    {"name": "Gold", "threshold": 50000, "multiplier_bp": 20000, "discount_bp": 1000}]}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "spa", "owner@spa.test", "owner", PW)
    ctx.now = calendar.timegm(time.strptime(NOW, "%Y-%m-%dT%H:%M:%SZ"))
    ctx.pay = paystand.PayStand(stripe_webhook_secret=WHSEC, clock=lambda: ctx.now)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"}, extra_args=[
        "--public-url", "https://spa.test",
        "--stripe-secret-key", paystand.STRIPE_KEY, "--stripe-webhook-secret", WHSEC,
        "--stripe-api-base", ctx.pay.url])
    ctx.c = ctx.srv.client
    ctx.pay.stripe_webhook = "http://127.0.0.1:%d/api/v1/payments/stripe/webhook" % ctx.srv.port
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)
    r = ctx.s.put(ctx.s.path("/services/massage/payment"), body={"mode": "deposit", "deposit_percent": 25})
    assert r.status == 200, r


def teardown(ctx):
    ctx.pay.stop()


def later(ctx):
    """A minute on: each step of the story at its own time, as in life."""
    ctx.now += 60
    iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ctx.now))
    assert ctx.c.post("/api/v1/test/clock", body={"now": iso}).status == 200
    ctx.s = staff.login(ctx, "spa", "owner@spa.test", PW)


def public_book(ctx, start, service="massage"):
    r = ctx.c.post("/api/v1/public/spa/bookings", body={
        "service": service, "start": start, "customer": {"name": "Zoe", "email": "zoe@example.test"}})
    assert r.status == 201, r
    return r.json


def pay(ctx, b):
    h = {"Authorization": "Bearer " + b["manage_token"]}
    r = ctx.c.post("/api/v1/public/bookings/%s/pay" % b["reference"], body={"method": "stripe"}, headers=h)
    assert r.status == 200, r
    code, _ = ctx.pay.stripe_complete(r.json["redirect_url"].rsplit("/", 1)[1])
    assert code == 200
    r = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"], headers=h)
    assert r.json["status"] == "confirmed", r


def loyalty(ctx, cid):
    r = ctx.s.get(ctx.s.path("/customers/%s/loyalty" % cid))
    assert r.status == 200, r
    return r.json


def test_a_settings_validated_and_kept(ctx):
    r = ctx.s.get(ctx.s.path("/loyalty"))
    assert r.status == 200 and r.json == {"enabled": False, "points_per_unit": 0, "tier_basis": "value",
                                          "tiers": []}, r
    bad = [({"enabled": True, "tiers": [{"name": "A", "threshold": 10}, {"name": "B", "threshold": 10}]},
            "tiers[1].threshold"),
           ({"enabled": True, "tiers": [{"name": "A", "threshold": 10, "discount_bp": 10001}]},
            "tiers[0].discount_bp"),
           ({"enabled": True, "tiers": [{"name": "", "threshold": 10}]}, "tiers[0].name"),
           ({"enabled": True, "tier_basis": "spend"}, "tier_basis"),
           ({"enabled": True, "points_per_unit": 5000}, "points_per_unit"),
           ({"enabled": True, "colour": "red"}, "colour"),
           ({"points_per_unit": 1}, "enabled")]
    for body, field in bad:
        r = ctx.s.put(ctx.s.path("/loyalty"), body=body)
        assert r.status == 422 and field in [e.get("field") for e in r.json.get("errors", [])], (body, r)
    r = ctx.s.put(ctx.s.path("/loyalty"), body=PROGRAMME)
    assert r.status == 200, r
    assert ctx.s.get(ctx.s.path("/loyalty")).json["tiers"][1] == PROGRAMME["tiers"][1]
    assert ctx.c.get("/api/v1/businesses/spa/loyalty").status == 401


def test_points_tiers_discount_and_history(ctx):
    assert ctx.s.put(ctx.s.path("/loyalty"), body=PROGRAMME).status == 200
    # An online deposit: 20 EUR paid, 2 points a euro.
    b1 = public_book(ctx, "2026-06-08T09:00:00Z")
    assert b1["price"]["amount_minor"] == 8000
    pay(ctx, b1)
    cid = ctx.s.get(ctx.s.path("/bookings/%s" % b1["reference"])).json["customer"]["id"]
    lo = loyalty(ctx, cid)
    assert lo["points"] == 40 and lo["tier"] is None and lo["lifetime_value"]["amount_minor"] == 2000, lo
    assert lo["history"][0]["kind"] == "earned" and lo["history"][0]["booking"] == b1["reference"]
    later(ctx)
    # Completed: the 60 EUR not paid beforehand is counted now; a visit.
    r = ctx.s.post(ctx.s.path("/bookings/%s/complete" % b1["reference"]), body={})
    assert r.status == 200, r
    lo = loyalty(ctx, cid)
    assert lo["points"] == 160 and lo["visits"] == 1 and lo["lifetime_value"]["amount_minor"] == 8000, lo
    assert lo["next_tier"]["name"] == "Silver" and lo["next_tier"]["remaining"] == 2000
    later(ctx)
    # Cash taken by staff for a facial: 50 EUR reaches Silver (earned at the rate before it).
    r = ctx.s.post(ctx.s.path("/bookings"), body={"service": "facial", "start": "2026-06-09T09:00:00Z",
                                                  "customer": {"name": "Zoe", "email": "zoe@example.test"}})
    assert r.status == 201 and r.json["price"]["amount_minor"] == 5000, r
    facial = r.json["reference"]
    later(ctx)
    r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % facial), body={"method": "cash", "amount_minor": 5000})
    assert r.status == 201, r
    lo = loyalty(ctx, cid)
    assert lo["points"] == 260 and lo["tier"]["name"] == "Silver", lo
    later(ctx)
    # Silver's 5% comes off her next booking's price, and so off its deposit.
    b2 = public_book(ctx, "2026-06-10T09:00:00Z")
    assert b2["price"]["amount_minor"] == 7600, b2
    h = {"Authorization": "Bearer " + b2["manage_token"]}
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b2["reference"], headers=h).json
    assert p["payment"]["due"]["amount_minor"] == 1900, p
    later(ctx)
    pay(ctx, b2)
    lo = loyalty(ctx, cid)
    assert lo["points"] == 260 + 57, lo  # 19 EUR x 2 x 1.5
    later(ctx)
    # Cancelled: the booking's points go back (its deposit is not refundable here).
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b2["reference"], body={}, headers=h)
    assert r.status == 200, r
    lo = loyalty(ctx, cid)
    assert lo["points"] == 260 and lo["history"][0]["kind"] == "reversed" and lo["history"][0]["points"] == -57, lo
    # Someone unknown pays the list price.
    r = ctx.c.post("/api/v1/public/spa/bookings", body={
        "service": "massage", "start": "2026-06-11T09:00:00Z", "customer": {"name": "New", "email": "new@example.test"}})
    assert r.status == 201 and r.json["price"]["amount_minor"] == 8000, r
    later(ctx)
    # Staff adjust by hand, with a reason; bad adjustments name the field.
    for body, field in (({"points": 0, "reason": "x"}, "points"), ({"points": 5}, "reason"),
                        ({"points": "5", "reason": "x"}, "points"), ({"points": 5, "reason": "x", "y": 1}, "y")):
        r = ctx.s.post(ctx.s.path("/customers/%s/loyalty/adjustments" % cid), body=body)
        assert r.status == 422 and field in [e.get("field") for e in r.json.get("errors", [])], (body, r)
    r = ctx.s.post(ctx.s.path("/customers/%s/loyalty/adjustments" % cid), body={"points": -10, "reason": "birthday mix-up"})
    assert r.status == 201 and r.json["points"] == 250, r
    top = r.json["history"][0]
    assert top["kind"] == "adjusted" and top["reason"] == "birthday mix-up" and top["actor"].startswith("staff:"), top
    assert [e["kind"] for e in r.json["history"]] == ["adjusted", "reversed", "earned", "earned", "earned", "earned"]
    assert r.json["history"][-1]["balance"] == 40
    assert ctx.s.get(ctx.s.path("/customers/nobody/loyalty")).status == 404
    assert ctx.s.post(ctx.s.path("/customers/nobody/loyalty/adjustments"),
                      body={"points": 1, "reason": "x"}).status == 404


def test_programme_travels_with_the_configuration_document(ctx):
    path = ctx.s.path("/config")
    assert ctx.s.put(ctx.s.path("/loyalty"), body=PROGRAMME).status == 200
    doc = ctx.s.get(path).json
    assert doc["loyalty"] == PROGRAMME, doc.get("loyalty")
    # Replaced by PUT …/config; a bad programme is named by its path and nothing changes.
    bad = json.loads(json.dumps(doc))
    bad["loyalty"]["tiers"][1]["threshold"] = 5
    bad["business"]["name"] = "Changed"
    r = ctx.s.put(path, body=bad)
    assert r.status == 422 and "loyalty.tiers[1].threshold" in {e["field"] for e in r.json["errors"]}, r
    assert ctx.s.get(path).json["business"]["name"] == "Spa"
    doc["loyalty"] = {"enabled": True, "points_per_unit": 3, "tier_basis": "visits",
                      "tiers": [{"name": "Regular", "threshold": 3, "discount_bp": 250}]}
    r = ctx.s.put(path, body=doc)
    assert r.status == 200, r
    assert ctx.s.get(ctx.s.path("/loyalty")).json == {
        "enabled": True, "points_per_unit": 3, "tier_basis": "visits",
        "tiers": [{"name": "Regular", "threshold": 3, "multiplier_bp": 10000, "discount_bp": 250}]}
    # `bookd import` of the exported document makes a business with the same programme.
    exported = ctx.s.get(path).json
    exported["business"]["slug"] = "spa-copy"
    harness.import_doc(ctx.db_url, exported)
    staff.make_user(ctx, "spa-copy", "owner@copy.test", "owner", PW)
    copy = staff.login(ctx, "spa-copy", "owner@copy.test", PW)
    assert copy.get("/api/v1/businesses/spa-copy/loyalty").json["tiers"][0]["name"] == "Regular"
    assert ctx.s.put(ctx.s.path("/loyalty"), body=PROGRAMME).status == 200
