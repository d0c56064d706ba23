"""Rented items in depth over HTTP: an item's own buffers, overnight items (pickup and return
inside opening hours), blackouts (staff CRUD, bookings refused with `blackout`, explain), the
configuration document, and availability of several services in one query."""
import json
import urllib.parse

import harness
import staff

PW = "a long enough password"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HIRE = {
    "business": {"slug": "hire", "name": "Bike Hire", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "resources": [
        {"id": "city", "name": "City bike", "overnight": True},
        {"id": "road", "name": "Road bike", "buffer_after_s": 7200},
        {"id": "kid", "name": "Kid bike"},
    ],
    "services": [
        {"id": "city-hire", "name": "City bike hire", "kind": "rental", "duration_s": 3600,
         "slot_interval_s": 1800, "min_length_s": 3600, "max_length_s": 3 * 86400, "resources": ["city"]},
        {"id": "road-hire", "name": "Road bike hire", "kind": "rental", "duration_s": 3600,
         "slot_interval_s": 1800, "min_length_s": 3600, "max_length_s": 86400, "resources": ["road"]},
        {"id": "kid-hire", "name": "Kid bike hire", "kind": "rental", "duration_s": 3600,
         "slot_interval_s": 1800, "min_length_s": 3600, "max_length_s": 86400, "resources": ["kid"]},
        {"id": "fit", "name": "Bike fitting", "duration_s": 1800, "slot_interval_s": 1800, "providers": ["ann"]},
    ],
    # The shop's hours: 09:00-18:00 every day; the bikes have none of their own.
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "18:00"} for d in DAYS],
    "blackouts": [{"resource": "kid", "start": "2026-06-20T00:00:00+01:00",
                   "end": "2026-06-22T00:00:00+01:00", "reason": "new tyres"}],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, HIRE)
    staff.make_user(ctx, "hire", "owner@hire.test", "owner", PW)
    ctx.srv = ctx.server(test_clock="2026-06-01T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client
    ctx.owner = staff.login(ctx, "hire", "owner@hire.test", PW)


def avail(ctx, **q):
    return ctx.c.get("/api/v1/public/hire/availability?" + urllib.parse.urlencode(q))


def book(ctx, service, start, end, email="rider@example.com"):
    return ctx.c.post("/api/v1/public/hire/bookings", body={
        "service": service, "start": start, "end": end,
        "customer": {"name": "Rider", "email": email}})


def explain(ctx, service, start, end):
    q = urllib.parse.urlencode({"service": service, "start": start, "end": end})
    r = ctx.owner.get(ctx.owner.path("/availability/explain?" + q))
    assert r.status == 200, r
    return r.json["reason"]


def test_resource_fields_are_validated_and_kept(ctx):
    p = ctx.owner.path("/resources/road")
    r = ctx.owner.get(p)
    assert r.status == 200 and r.json["buffer_after_s"] == 7200 and r.json["overnight"] is False, r
    assert r.json["buffer_before_s"] == 0, r
    for bad, field in (({"buffer_before_s": -60}, "buffer_before_s"),
                       ({"buffer_after_s": 90}, "buffer_after_s"),
                       ({"buffer_after_s": 31 * 86400}, "buffer_after_s"),
                       ({"overnight": "yes"}, "overnight")):
        r = ctx.owner.patch(p, body=bad)
        assert r.status == 422, (bad, r)
        assert [e["field"] for e in r.json["errors"]] == [field], r.json
    assert ctx.owner.get(p).json["buffer_after_s"] == 7200


def test_overnight_item_spans_the_night_with_pickup_and_return_in_hours(ctx):
    r = avail(ctx, service="city-hire", **{"from": "2026-06-09", "to": "2026-06-09"})
    assert r.status == 200, r
    slot = r.json["days"][0]["slots"][0]
    assert slot["start"] == "2026-06-09T09:00:00+01:00" and slot["last_start"] == "2026-06-09T17:30:00+01:00", slot
    rets = [(x["from"], x["to"]) for x in slot["returns"]]
    assert rets[0] == ("2026-06-09T10:00:00+01:00", "2026-06-09T18:00:00+01:00"), rets
    assert rets[1] == ("2026-06-10T09:00:00+01:00", "2026-06-10T18:00:00+01:00"), rets
    # Out for the night, back next morning.
    r = book(ctx, "city-hire", "2026-06-09T17:00:00+01:00", "2026-06-10T09:30:00+01:00")
    assert r.status == 201, r
    # A return after closing, or a pickup before opening, is refused with its reason.
    r = book(ctx, "city-hire", "2026-06-11T17:00:00+01:00", "2026-06-11T20:00:00+01:00")
    assert r.status == 409 and r.json["reason"] == "return_hours", r
    r = book(ctx, "city-hire", "2026-06-11T07:00:00+01:00", "2026-06-11T12:00:00+01:00")
    assert r.status == 409 and r.json["reason"] == "pickup_hours", r
    assert explain(ctx, "city-hire", "2026-06-11T17:00:00+01:00", "2026-06-12T08:00:00+01:00") == "return_hours"
    assert explain(ctx, "city-hire", "2026-06-11T17:00:00+01:00", "2026-06-12T10:00:00+01:00") == "offered"
    # The booked night is taken: a rental over it is busy.
    assert explain(ctx, "city-hire", "2026-06-09T10:00:00+01:00", "2026-06-10T12:00:00+01:00") == "busy"
    # An item that is not overnight stays inside the day.
    r = book(ctx, "road-hire", "2026-06-12T17:00:00+01:00", "2026-06-13T09:30:00+01:00")
    assert r.status == 409 and r.json["reason"] == "outside_hours", r


def test_item_buffer_keeps_turnaround_free(ctx):
    r = book(ctx, "road-hire", "2026-06-15T10:00:00+01:00", "2026-06-15T12:00:00+01:00")
    assert r.status == 201, r
    # Two hours of cleaning after the return: 12:00-14:00 is not free.
    r = book(ctx, "road-hire", "2026-06-15T13:00:00+01:00", "2026-06-15T15:00:00+01:00",
             email="second@example.com")
    assert r.status == 409 and r.json["reason"] == "buffer", r
    r = avail(ctx, service="road-hire", **{"from": "2026-06-15", "to": "2026-06-15"})
    starts = [s["start"] for s in r.json["days"][0]["slots"]]
    assert starts == ["2026-06-15T14:00:00+01:00"], r.json
    # And before the pickup: ours must end two hours before 10:00... only 09:00-10:00 is
    # left, but ours' own cleaning would run into it: nothing before.
    assert explain(ctx, "road-hire", "2026-06-15T09:00:00+01:00", "2026-06-15T10:00:00+01:00") == "buffer"
    r = book(ctx, "road-hire", "2026-06-15T14:00:00+01:00", "2026-06-15T15:00:00+01:00",
             email="third@example.com")
    assert r.status == 201, r


def test_blackouts_crud_and_refusal(ctx):
    p = ctx.owner.path("/blackouts")
    r = ctx.owner.get(p + "?resource=kid")
    assert r.status == 200 and len(r.json["blackouts"]) == 1, r
    assert r.json["blackouts"][0]["reason"] == "new tyres", r
    # Invalid rows name their field.
    for bad, field in (({"resource": "kid", "start": "2026-07-02T10:00:00Z", "end": "2026-07-01T10:00:00Z"}, "end"),
                       ({"resource": "nope", "start": "2026-07-01T10:00:00Z", "end": "2026-07-02T10:00:00Z"}, "resource"),
                       ({"resource": "kid", "start": "tomorrow", "end": "2026-07-02T10:00:00Z"}, "start"),
                       ({"start": "2026-07-01T10:00:00Z", "end": "2026-07-02T10:00:00Z"}, "resource")):
        r = ctx.owner.post(p, body=bad)
        assert r.status == 422, (bad, r)
        assert field in [e["field"] for e in r.json["errors"]], r.json
    assert len(ctx.owner.get(p).json["blackouts"]) == 1
    r = book(ctx, "kid-hire", "2026-06-20T10:00:00+01:00", "2026-06-20T12:00:00+01:00")
    assert r.status == 409 and r.json["reason"] == "blackout", r
    assert explain(ctx, "kid-hire", "2026-06-21T10:00:00+01:00", "2026-06-21T12:00:00+01:00") == "blackout"
    r = avail(ctx, service="kid-hire", **{"from": "2026-06-19", "to": "2026-06-22"})
    assert [len(d["slots"]) for d in r.json["days"]] == [1, 0, 0, 1], r.json
    # A new one takes effect at once (the answer cache follows), its removal too.
    r = ctx.owner.post(p, body={"resource": "kid", "start": "2026-06-25T00:00:00+01:00",
                                "end": "2026-06-26T00:00:00+01:00", "reason": "service"})
    assert r.status == 201, r
    bid = r.json["id"]
    r = avail(ctx, service="kid-hire", **{"from": "2026-06-25", "to": "2026-06-25"})
    assert r.json["days"][0]["slots"] == [], r.json
    r = ctx.owner.patch(p + "/" + bid, body={"end": "2026-06-25T12:00:00+01:00"})
    assert r.status == 200 and r.json["end"] == "2026-06-25T12:00:00+01:00", r
    r = avail(ctx, service="kid-hire", **{"from": "2026-06-25", "to": "2026-06-25"})
    assert r.json["days"][0]["slots"][0]["start"] == "2026-06-25T12:00:00+01:00", r.json
    assert ctx.owner.delete(p + "/" + bid).status == 204
    r = avail(ctx, service="kid-hire", **{"from": "2026-06-25", "to": "2026-06-25"})
    assert r.json["days"][0]["slots"][0]["start"] == "2026-06-25T09:00:00+01:00", r.json
    assert ctx.owner.get(p + "/" + bid).status == 404


def test_config_document_carries_items_and_blackouts(ctx):
    r = ctx.owner.get(ctx.owner.path("/config"))
    assert r.status == 200, r
    doc = r.json
    res = {x["id"]: x for x in doc["resources"]}
    assert res["city"]["overnight"] is True and res["road"]["buffer_after_s"] == 7200, res
    assert [(b["resource"], b["reason"]) for b in doc["blackouts"]] == [("kid", "new tyres")], doc["blackouts"]
    # Written back unchanged, then with a bad blackout: refused whole, naming the path.
    r = ctx.owner.put(ctx.owner.path("/config"), body=doc)
    assert r.status == 200, r
    bad = json.loads(json.dumps(doc))
    bad["blackouts"].append({"resource": "ghost", "start": "2026-07-01T00:00:00Z", "end": "2026-07-02T00:00:00Z"})
    r = ctx.owner.put(ctx.owner.path("/config"), body=bad)
    assert r.status == 422, r
    assert "blackouts[1].resource" in [e["field"] for e in r.json["errors"]], r.json
    assert len(ctx.owner.get(ctx.owner.path("/blackouts")).json["blackouts"]) == 1


def test_several_services_in_one_query(ctx):
    q = {"from": "2026-06-16", "to": "2026-06-17", "tz": "Europe/London"}
    ones = [avail(ctx, service=s, **q) for s in ("road-hire", "kid-hire", "fit")]
    for r in ones:
        assert r.status == 200, r
    r = avail(ctx, services="road-hire,kid-hire,fit", **q)
    assert r.status == 200, r
    assert [x["service"] for x in r.json["services"]] == ["road-hire", "kid-hire", "fit"]
    # Each entry is, byte for byte, that service's own answer.
    assert r.body == '{"services":[' + ",".join(o.body for o in ones) + "]}", r.body[:200]
    # The single answers again (from the answer cache now): still the same bytes.
    again = [avail(ctx, service=s, **q) for s in ("road-hire", "kid-hire", "fit")]
    assert [a.body for a in again] == [o.body for o in ones]


def test_several_services_are_validated(ctx):
    q = {"from": "2026-06-16", "to": "2026-06-16"}
    for services, field in ((",".join("s%d" % i for i in range(11)), "services"),
                            ("fit,fit", "services"), ("fit,,kid-hire", "services"), ("", "services"),
                            ("fit,bad id", "services")):
        r = avail(ctx, services=services, **q)
        assert r.status == 400, (services, r)
        assert r.header("Content-Type").startswith("application/problem+json"), r
        assert [e["field"] for e in r.json["errors"]] == [field], r.json
    r = avail(ctx, services="fit", service="fit", **q)
    assert r.status == 400 and [e["field"] for e in r.json["errors"]] == ["service"], r
    r = avail(ctx, services="fit,nosuch", **q)
    assert r.status == 404, r
    r = avail(ctx, services=",".join(["fit", "road-hire", "kid-hire", "city-hire"]), **q)
    assert r.status == 200 and len(r.json["services"]) == 4, r


def test_a_booking_changes_the_multi_answer(ctx):
    q = {"from": "2026-06-18", "to": "2026-06-18"}
    before = avail(ctx, services="fit,road-hire", **q).json["services"]
    r = ctx.c.post("/api/v1/public/hire/bookings", body={
        "service": "fit", "start": "2026-06-18T09:00:00+01:00",
        "customer": {"name": "Fitter", "email": "fit@example.com"}})
    assert r.status == 201, r
    after = avail(ctx, services="fit,road-hire", **q).json["services"]
    fit0 = [s["start"] for s in before[0]["days"][0]["slots"]]
    fit1 = [s["start"] for s in after[0]["days"][0]["slots"]]
    assert fit0[0] == "2026-06-18T09:00:00+01:00" and fit1[0] == "2026-06-18T09:30:00+01:00", (fit0, fit1)
    assert before[1] == after[1]
