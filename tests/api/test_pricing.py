"""Dynamic pricing through the API: a service's rules (PUT …/services/{id}/pricing) checked
field by field; availability's answer byte-identical while every slot costs the list price,
with a `price` per slot once they differ; the public quote of a span (rental rates per day
and per hour, add-ons, items) equal to the price a booking then freezes, which later rule
changes leave alone; add-on time lengthening the booking; the rules carried by the
configuration document."""
import json
import os
import tempfile

import harness
import staff

FIXTURE = {
    "business": {"slug": "dock", "name": "Dock", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "resources": [{"id": "boat1", "name": "Small boat"}, {"id": "boat2", "name": "Big boat"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600,
         "price_minor": 5000, "providers": ["ann"]},
        {"id": "boat", "name": "Boat", "kind": "rental", "duration_s": 3600,
         "slot_interval_s": 3600, "price_minor": 900, "resources": ["boat1", "boat2"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London
PW = "a long enough secret"

RULES = {
    "rules": [
        {"name": "Weekend", "weekdays": [6, 7], "multiplier_bp": 12000},
        {"name": "Evening", "time": {"from": "18:00", "to": "22:00"}, "adjust_minor": 500},
    ],
    "addons": [{"id": "oil", "name": "Hot oil", "price_minor": 700, "duration_s": 900}],
}
BOAT = {
    "rates": {"hour_minor": 1000, "day_minor": 6000},
    "rules": [{"name": "Big boat", "resource": "boat2", "multiplier_bp": 13000}],
}


def setup(ctx):
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(FIXTURE, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    os.unlink(path)
    staff.make_user(ctx, "dock", "owner@dock.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client
    ctx.s = staff.login(ctx, "dock", "owner@dock.test", PW)


def avail(ctx, service, frm, to):
    r = ctx.c.get("/api/v1/public/dock/availability?service=%s&from=%s&to=%s" % (service, frm, to))
    assert r.status == 200, r
    return r


def slot_at(answer, start):
    for d in answer["days"]:
        for s in d["slots"]:
            if s["start"] == start:
                return s
    return None


def put_rules(ctx, service, doc):
    r = ctx.s.put(ctx.s.path("/services/%s/pricing" % service), body=doc)
    assert r.status == 200, r
    return r


def book(ctx, body, email="zoe@example.test"):
    b = dict(body)
    b["customer"] = {"name": "Zoe", "email": email}
    return ctx.c.post("/api/v1/public/dock/bookings", body=b)


def test_a_answer_unchanged_while_prices_equal(ctx):
    before = avail(ctx, "cut", "2026-06-06", "2026-06-07").body
    assert '"price"' not in before
    # A rule no slot meets (a location is only asked for by a quote or a booking).
    put_rules(ctx, "cut", {"rules": [{"name": "Airport", "location": "airport", "adjust_minor": 2000}]})
    assert ctx.s.get(ctx.s.path("/services/cut/pricing")).json["rules"][0]["name"] == "Airport"
    after = avail(ctx, "cut", "2026-06-06", "2026-06-07").body
    assert after == before


def test_b_slot_prices_where_they_vary(ctx):
    put_rules(ctx, "cut", RULES)
    a = avail(ctx, "cut", "2026-06-05", "2026-06-06").json
    fri = slot_at(a, "2026-06-05T10:00:00+01:00")
    sat = slot_at(a, "2026-06-06T10:00:00+01:00")
    eve = slot_at(a, "2026-06-06T18:00:00+01:00")
    assert fri["price"] == {"amount_minor": 5000, "currency": "EUR"}, fri
    assert sat["price"]["amount_minor"] == 6000, sat
    assert eve["price"]["amount_minor"] == 6500, eve
    # Nothing removed from a slot.
    assert set(fri) >= {"start", "end", "providers", "seats_left"}


def test_c_quote_equals_booked_price_frozen(ctx):
    put_rules(ctx, "cut", RULES)
    q = ctx.c.get("/api/v1/public/dock/quote?service=cut&start=2026-06-06T18:00:00%2B01:00&addons=oil")
    assert q.status == 200, q
    q = q.json
    assert q["total"] == {"amount_minor": 7200, "currency": "EUR"}, q
    assert q["end"] == "2026-06-06T19:15:00+01:00"
    assert [l["kind"] for l in q["lines"]] == ["base", "rule", "rule", "addon"]
    assert q["addons_offered"][0]["id"] == "oil"
    r = book(ctx, {"service": "cut", "start": "2026-06-06T18:00:00+01:00", "addons": ["oil"]})
    assert r.status == 201, r
    b = r.json
    assert b["price"] == q["total"], b
    assert b["end"] == "2026-06-06T19:15:00+01:00", b  # the add-on's time is booked
    # The engine saw the longer booking: 19:00 is taken too.
    a = avail(ctx, "cut", "2026-06-06", "2026-06-06").json
    assert slot_at(a, "2026-06-06T19:00:00+01:00") is None
    assert slot_at(a, "2026-06-06T20:00:00+01:00") is not None
    # A rule changed later leaves the booking's price and breakdown alone.
    put_rules(ctx, "cut", {"rules": [{"name": "Surge", "multiplier_bp": 30000}]})
    rows = ctx.s.get(ctx.s.path("/bookings?from=2026-06-06&to=2026-06-06")).json
    bid = [x for x in rows["bookings"] if x["reference"] == b["reference"]][0]["id"]
    d = ctx.s.get(ctx.s.path("/bookings/%s" % bid)).json
    assert d["price"]["amount_minor"] == 7200, d
    pb = d["price_breakdown"]
    assert pb["total_minor"] == 7200 and pb["addons"] == ["oil"], pb
    assert [l["label"] for l in pb["lines"]] == ["Cut", "Weekend", "Evening", "Hot oil"], pb
    assert sum(l["amount_minor"] for l in pb["lines"]) == 7200
    # And the new rule prices the next one.
    r = book(ctx, {"service": "cut", "start": "2026-06-03T10:00:00+01:00"}, email="yan@example.test")
    assert r.status == 201 and r.json["price"]["amount_minor"] == 15000, r


def test_d_rental_span_quote_and_booking(ctx):
    put_rules(ctx, "boat", BOAT)
    base = "/api/v1/public/dock/quote?service=boat&start=2026-06-02T09:00:00%2B01:00&end=2026-06-03T11:00:00%2B01:00"
    q = ctx.c.get(base).json
    assert q["total"]["amount_minor"] == 8000, q  # a day and two hours
    assert [(l["kind"], l["quantity"]) for l in q["lines"]] == [("days", 1), ("hours", 2)], q
    big = ctx.c.get(base + "&resource=boat2").json
    assert big["total"]["amount_minor"] == 10400, big
    # Eight hours cost no more than a day.
    q8 = ctx.c.get("/api/v1/public/dock/quote?service=boat&start=2026-06-04T09:00:00%2B01:00"
                   "&end=2026-06-04T17:00:00%2B01:00").json
    assert q8["total"]["amount_minor"] == 6000, q8
    r = book(ctx, {"service": "boat", "provider": "boat1", "start": "2026-06-02T09:00:00+01:00",
                   "end": "2026-06-03T11:00:00+01:00"})
    assert r.status == 201, r
    assert r.json["price"]["amount_minor"] == 8000, r
    # The rental's free ranges carry no per-slot price.
    assert '"price"' not in avail(ctx, "boat", "2026-06-04", "2026-06-04").body


def test_e_refusals_name_the_field(ctx):
    r = ctx.s.put(ctx.s.path("/services/cut/pricing"), body={"rules": [{"multiplier_bp": 12000}]})
    assert r.status == 422, r
    assert "rules[0].name" in r.body, r
    r = ctx.s.put(ctx.s.path("/services/cut/pricing"), body={"rates": {"day_minor": 1.5}})
    assert r.status == 422 and "rates.day_minor" in r.body, r
    put_rules(ctx, "cut", RULES)
    r = book(ctx, {"service": "cut", "start": "2026-06-04T10:00:00+01:00", "addons": ["wax"]})
    assert r.status == 422 and '"addons"' in r.body, r
    r = ctx.c.get("/api/v1/public/dock/quote?service=cut&start=2026-06-04T10:00:00%2B01:00&addons=wax")
    assert r.status == 400 and '"addons"' in r.body, r
    r = ctx.c.get("/api/v1/public/dock/quote?service=cut")
    assert r.status == 400 and '"start"' in r.body, r
    # Nothing half-written: the refused booking left no row.
    rows = ctx.s.get(ctx.s.path("/bookings?from=2026-06-04&to=2026-06-04")).json["bookings"]
    assert rows == [], rows
    # Staff (not admins) cannot change the rules; the public cannot read them.
    assert ctx.c.get("/api/v1/businesses/dock/services/cut/pricing").status == 401


def test_f_config_document_carries_rules(ctx):
    put_rules(ctx, "cut", RULES)
    put_rules(ctx, "boat", BOAT)
    doc = ctx.s.get(ctx.s.path("/config")).json
    assert doc["pricing"]["cut"]["addons"][0]["id"] == "oil", doc.get("pricing")
    assert doc["pricing"]["boat"]["rates"] == BOAT["rates"]
    # Replaced with different rules, then read back.
    doc["pricing"] = {"cut": {"rules": [{"name": "Flat", "adjust_minor": -100}]}}
    r = ctx.s.put(ctx.s.path("/config"), body=doc)
    assert r.status == 200, r
    assert ctx.s.get(ctx.s.path("/services/boat/pricing")).json == {}
    assert ctx.s.get(ctx.s.path("/services/cut/pricing")).json["rules"][0]["name"] == "Flat"
    doc["pricing"] = {"nope": {}}
    r = ctx.s.put(ctx.s.path("/config"), body=doc)
    assert r.status == 422 and "pricing.nope" in r.body, r


def test_g_deposit_from_the_frozen_price(ctx):
    put_rules(ctx, "cut", RULES)
    r = ctx.s.put(ctx.s.path("/services/cut/payment"), body={"mode": "deposit", "deposit_percent": 50})
    if r.status != 200:  # payments need a provider configured: then nothing to check here
        assert r.status in (409, 422), r
        return
    r = book(ctx, {"service": "cut", "start": "2026-06-13T18:00:00+01:00"}, email="pay@example.test")
    assert r.status == 201, r
    b = r.json
    assert b["price"]["amount_minor"] == 6500, b  # Saturday evening, not the list 5000
    p = ctx.c.get("/api/v1/public/bookings/%s/payment" % b["reference"],
                  headers={"Authorization": "Bearer " + b["manage_token"]})
    assert p.status == 200, p
    assert p.json["payment"]["due"]["amount_minor"] == 3250, p  # half of 6500
    ctx.s.put(ctx.s.path("/services/cut/payment"), body={"mode": "none"})


def test_h_reschedule_keeps_the_add_on_time_and_price(ctx):
    put_rules(ctx, "cut", RULES)
    r = book(ctx, {"service": "cut", "start": "2026-06-10T10:00:00+01:00", "addons": ["oil"]},
             email="move@example.test")
    assert r.status == 201, r
    b = r.json
    assert b["end"] == "2026-06-10T11:15:00+01:00" and b["price"]["amount_minor"] == 5700, b
    m = ctx.c.post("/api/v1/public/bookings/%s/reschedule" % b["reference"],
                   body={"start": "2026-06-11T14:00:00+01:00"},
                   headers={"Authorization": "Bearer " + b["manage_token"]})
    assert m.status == 200, m
    assert m.json["end"] == "2026-06-11T15:15:00+01:00", m.json  # still 75 minutes
    assert m.json["price"]["amount_minor"] == 5700, m.json  # the booked price stays


def detail(ctx, reference, day):
    rows = ctx.s.get(ctx.s.path("/bookings?from=%s&to=%s" % (day, day))).json
    bid = [x for x in rows["bookings"] if x["reference"] == reference][0]["id"]
    return ctx.s.get(ctx.s.path("/bookings/%s" % bid)).json


def test_i_loyalty_tier_is_the_breakdown_s_last_line(ctx):
    """A loyalty tier's discount on a rule-priced booking: the frozen breakdown ends with the
    tier's line and still adds up to the price charged, booked directly and from a hold."""
    put_rules(ctx, "cut", RULES)
    r = ctx.s.put(ctx.s.path("/loyalty"), body={
        "enabled": True, "points_per_unit": 1, "tier_basis": "value",
        "tiers": [{"name": "Friend", "threshold": 1000, "multiplier_bp": 10000, "discount_bp": 1000}]})
    assert r.status == 200, r
    try:
        # A first booking paid in cash puts the customer in the tier for the next ones.
        first = book(ctx, {"service": "cut", "start": "2026-06-15T09:00:00+01:00"}, email="kim@example.test")
        assert first.status == 201, first
        bid = detail(ctx, first.json["reference"], "2026-06-15")["id"]
        r = ctx.s.post(ctx.s.path("/bookings/%s/payments" % bid), body={"method": "cash", "amount_minor": 5000})
        assert r.status in (200, 201), r
        r = book(ctx, {"service": "cut", "start": "2026-06-20T18:00:00+01:00"}, email="kim@example.test")
        assert r.status == 201, r
        assert r.json["price"]["amount_minor"] == 5850, r.json  # 6500 (Saturday evening) less 10 %
        pb = detail(ctx, r.json["reference"], "2026-06-20")["price_breakdown"]
        assert [(l["kind"], l["label"]) for l in pb["lines"]][-1] == ("tier", "Friend"), pb
        assert pb["lines"][-1]["amount_minor"] == -650 and pb["total_minor"] == 5850, pb
        assert sum(l["amount_minor"] for l in pb["lines"]) == 5850, pb
        h = ctx.c.post("/api/v1/public/dock/holds", body={"service": "cut", "start": "2026-06-21T18:00:00+01:00"})
        assert h.status == 201, h
        r = ctx.c.post("/api/v1/public/dock/bookings", body={
            "hold": h.json["id"], "customer": {"name": "Kim", "email": "kim@example.test"}})
        assert r.status == 201 and r.json["price"]["amount_minor"] == 5850, r
        pb = detail(ctx, r.json["reference"], "2026-06-21")["price_breakdown"]
        assert pb["lines"][-1]["kind"] == "tier" and pb["total_minor"] == 5850, pb
        assert sum(l["amount_minor"] for l in pb["lines"]) == 5850, pb
    finally:
        ctx.s.put(ctx.s.path("/loyalty"), body={"enabled": False})
