"""The staff catalogue API: business settings, services, providers, resources, schedules,
overrides, time off, closures, sessions; roles; live availability; config export/import."""
import json
import os
import re
import tempfile
import urllib.parse

import harness
import staff
from test_holds_events import Stream

PW = "correct horse battery staple"
SLUG = "cat"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Cat Salon", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "room", "name": "Room", "capacity": 2}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "providers": ["ann", "bob"],
         "refund_tiers": [{"min_notice_s": 86400, "refund_percent": 100}]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 8, "providers": ["ann"],
         "resources": ["room"]},
    ],
    "schedules": [{"owner": "provider:ann", "weekday": d, "start": "09:00", "end": "12:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")]
    + [{"owner": "business", "weekday": "sat", "start": "10:00", "end": "14:00", "valid_from": "2026-01-01"}]
    # The business's hours bound everyone's (test_business_hours.py): its weekdays leave Ann's
    # whole (and a Sunday of hers), and Bob keeps its Saturday as hours of his own.
    + [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sun")]
    + [{"owner": "provider:bob", "weekday": "sat", "start": "10:00", "end": "14:00", "valid_from": "2026-01-01"}],
    "overrides": [{"owner": "provider:ann", "date": "2026-12-24", "start": "09:00", "end": "10:00"},
                  {"owner": "business", "date": "2026-12-31", "closed": True}],
    "time_off": [{"owner": "provider:bob", "start": "2026-07-01T00:00:00+01:00", "end": "2026-07-08T00:00:00+01:00",
                  "reason": "holiday"}],
    "closures": [{"date": "2026-12-25", "name": "Christmas Day"}],
    "sessions": [{"id": "yoga-1", "service": "yoga", "provider": "ann", "start": "2026-06-03T18:00:00+01:00"}],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "owner@cat.test", "owner", PW)
    staff.make_user(ctx, SLUG, "admin@cat.test", "admin", PW)
    out = staff.make_user(ctx, SLUG, "ann@cat.test", "staff", PW).stdout
    ctx.ann_user = re.search(r"user (\S+) ", out).group(1)
    staff.make_user(ctx, SLUG, "nobody@cat.test", "staff", PW)
    out = staff.make_user(ctx, SLUG, "cleo@cat.test", "staff", PW).stdout
    ctx.cleo_user = re.search(r"user (\S+) ", out).group(1)
    staff.make_business(ctx, "elsewhere")
    out = staff.make_user(ctx, "elsewhere", "eve@elsewhere.test", "staff", PW).stdout
    ctx.foreign_user = re.search(r"user (\S+) ", out).group(1)
    ctx.srv = ctx.server(test_clock="2026-05-20T06:00:00Z")
    ctx.c = ctx.srv.client
    ctx.owner = staff.login(ctx, SLUG, "owner@cat.test", PW)
    ctx.admin = staff.login(ctx, SLUG, "admin@cat.test", PW)
    r = ctx.admin.patch(ctx.admin.path("/providers/ann"), body={"user_id": ctx.ann_user})
    assert r.status == 200 and r.json["user_id"] == ctx.ann_user, r
    ctx.ann = staff.login(ctx, SLUG, "ann@cat.test", PW)      # staff, linked to provider ann
    ctx.nobody = staff.login(ctx, SLUG, "nobody@cat.test", PW)  # staff, no provider
    ctx.cleo = staff.login(ctx, SLUG, "cleo@cat.test", PW)    # staff, linked in the linking test


def p(rest=""):
    return "/api/v1/businesses/%s%s" % (SLUG, rest)


def fields(r):
    return {e["field"]: e["detail"] for e in r.json.get("errors", [])}


def invalid(r, *names):
    assert r.status == 422, r
    assert r.header("Content-Type") == "application/problem+json", r
    got = fields(r)
    for n in names:
        assert n in got, (n, got)


def slots(ctx, date, service="cut"):
    q = urllib.parse.urlencode({"service": service, "from": date, "to": date})
    r = ctx.c.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"] for s in r.json["days"][0]["slots"]]


# ---- business -------------------------------------------------------------------------

def test_business_settings_read_by_staff_changed_by_admin(ctx):
    r = ctx.ann.get(p())
    assert r.status == 200, r
    assert r.json["slug"] == SLUG and r.json["timezone"] == "Europe/London" and r.json["hold_ttl_s"] == 600
    assert ctx.ann.patch(p(), body={"name": "Nope"}).status == 403
    r = ctx.admin.patch(p(), body={"name": "Cat Salon & Spa", "phone": "+44 1", "hold_ttl_s": 900,
                                   "auto_no_show": True, "locale": "en-GB"})
    assert r.status == 200, r
    assert r.json["name"] == "Cat Salon & Spa" and r.json["hold_ttl_s"] == 900 and r.json["auto_no_show"] is True
    assert ctx.ann.get(p()).json["phone"] == "+44 1"
    invalid(ctx.admin.patch(p(), body={"timezone": "Mars/Olympus", "hold_ttl_s": 5, "currency": "euro",
                                       "slug": "dog", "colour": "red"}),
            "timezone", "hold_ttl_s", "currency", "slug", "colour")
    assert ctx.ann.get(p()).json["hold_ttl_s"] == 900  # nothing half-written
    r = ctx.admin.patch(p(), body={"name": "Cat Salon", "hold_ttl_s": 600, "auto_no_show": False, "phone": ""})
    assert r.status == 200, r


# ---- services -------------------------------------------------------------------------

def test_services_crud_and_validation(ctx):
    r = ctx.ann.get(p("/services"))
    assert r.status == 200 and [s["id"] for s in r.json["services"]][:2] == ["cut", "yoga"], r
    count = len(r.json["services"])
    assert r.json["services"][0]["providers"] == ["ann", "bob"]
    assert r.json["services"][0]["refund_tiers"] == [{"min_notice_s": 86400, "refund_percent": 100}]
    body = {"id": "beard", "name": "Beard trim", "duration_s": 900, "price_minor": 1200, "providers": ["bob"]}
    assert ctx.ann.post(p("/services"), body=body).status == 403
    r = ctx.admin.post(p("/services"), body=body)
    assert r.status == 201, r
    assert r.json["id"] == "beard" and r.json["providers"] == ["bob"] and r.json["active"] is True
    assert r.json["position"] == count and r.json["slot_interval_s"] == 900
    assert ctx.admin.post(p("/services"), body=body).status == 409
    r = ctx.admin.patch(p("/services/beard"), body={"price_minor": 1500, "providers": ["ann", "bob"],
                                                    "resources": ["room"]})
    assert r.status == 200, r
    assert r.json["price_minor"] == 1500 and r.json["providers"] == ["ann", "bob"] and r.json["resources"] == ["room"]
    assert r.json["duration_s"] == 900  # untouched fields stay
    assert ctx.ann.get(p("/services/beard")).json["price_minor"] == 1500
    # Field paths, all at once; nothing changes.
    invalid(ctx.admin.patch(p("/services/beard"), body={"duration_s": 0, "kind": "massage", "providers": ["ghost"],
                                                        "capacity": "two", "id": "other"}),
            "duration_s", "kind", "capacity", "id")
    invalid(ctx.admin.patch(p("/services/beard"), body={"providers": ["ghost"]}), "providers[0]")
    invalid(ctx.admin.post(p("/services"), body={"name": "No length"}), "duration_s")
    invalid(ctx.admin.post(p("/services"), body={"name": "Bad tiers", "duration_s": 600,
                                                  "refund_tiers": [{"min_notice_s": 1, "refund_percent": 150}]}),
            "refund_tiers[0].refund_percent")
    assert ctx.admin.get(p("/services/beard")).json["price_minor"] == 1500
    r = ctx.admin.delete(p("/services/beard"))
    assert r.status == 204, r
    assert ctx.admin.get(p("/services/beard")).status == 404
    assert ctx.admin.delete(p("/services/beard")).status == 404


def test_impossible_service_configurations_are_refused(ctx):
    # Notice at or past the advance window: no slot could ever be offered.
    invalid(ctx.admin.post(p("/services"), body={"name": "Never", "duration_s": 600, "min_notice_s": 86400,
                                                  "max_advance_s": 3600}), "min_notice_s")
    # A rental whose minimum is longer than its maximum.
    invalid(ctx.admin.post(p("/services"), body={"name": "Bike", "kind": "rental", "duration_s": 7200,
                                                  "min_length_s": 7200, "max_length_s": 3600}), "min_length_s")
    # Whole-day rentals with a maximum shorter than a day (the slot engine's own check).
    invalid(ctx.admin.post(p("/services"), body={"name": "Boat", "kind": "rental", "duration_s": 3600,
                                                  "whole_days": True, "max_length_s": 7200}), "max_length_s")
    # The same through a change: the merged row is judged whole.
    invalid(ctx.admin.patch(p("/services/cut"), body={"min_notice_s": 8000000}), "min_notice_s")
    assert ctx.admin.get(p("/services/cut")).json["min_notice_s"] == 0


def test_booked_service_and_provider_are_withdrawn_not_deleted(ctx):
    r = ctx.admin.post(p("/providers"), body={"id": "zed", "name": "Zed"})
    assert r.status == 201, r
    r = ctx.admin.post(p("/services"), body={"id": "shave", "name": "Shave", "duration_s": 1800,
                                              "slot_interval_s": 1800, "providers": ["zed"]})
    assert r.status == 201, r
    r = ctx.admin.post(p("/schedules"), body={"owner": "provider:zed", "weekday": "tue", "start": "09:00",
                                               "end": "10:00"})
    assert r.status == 201, r
    assert slots(ctx, "2026-06-02", "shave") == ["2026-06-02T09:00:00+01:00", "2026-06-02T09:30:00+01:00"]
    b = ctx.c.post("/api/v1/public/%s/bookings" % SLUG,
                   body={"service": "shave", "start": "2026-06-02T09:00:00+01:00",
                         "customer": {"name": "Kim", "email": "kim@example.com"}})
    assert b.status == 201, b
    r = ctx.admin.delete(p("/services/shave"))
    assert r.status == 200 and r.json["active"] is False, r
    assert ctx.admin.get(p("/services/shave")).status == 200
    assert "shave" not in [s["id"] for s in ctx.c.get("/api/v1/public/%s/services" % SLUG).json["services"]]
    assert [s["id"] for s in ctx.admin.get(p("/services?active=false")).json["services"]] == ["shave"]
    r = ctx.admin.delete(p("/providers/zed"))
    assert r.status == 200 and r.json["active"] is False, r
    # A session with live bookings cannot go; the booked service cannot change kind.
    r = ctx.admin.patch(p("/services/shave"), body={"kind": "class"})
    assert r.status == 409, r


# ---- providers and resources ----------------------------------------------------------

def test_providers_and_resources_crud(ctx):
    assert ctx.ann.post(p("/providers"), body={"name": "X"}).status == 403
    r = ctx.admin.post(p("/providers"), body={"name": "Cleo", "email": "cleo@cat.test", "timezone": "Europe/Paris"})
    assert r.status == 201, r
    pid = r.json["id"]
    assert pid.startswith("prv_") and r.json["timezone"] == "Europe/Paris" and r.json["user_id"] is None
    assert pid in [x["id"] for x in ctx.ann.get(p("/providers")).json["providers"]]
    invalid(ctx.admin.patch(p("/providers/" + pid), body={"timezone": "Nowhere/City", "name": ""}),
            "timezone", "name")
    invalid(ctx.admin.patch(p("/providers/" + pid), body={"user_id": "usr_missing"}), "user_id")
    r = ctx.admin.patch(p("/providers/" + pid), body={"timezone": None, "active": False})
    assert r.status == 200 and r.json["timezone"] is None and r.json["active"] is False, r
    assert ctx.admin.delete(p("/providers/" + pid)).status == 204
    assert ctx.admin.get(p("/providers/" + pid)).status == 404

    r = ctx.admin.post(p("/resources"), body={"id": "van", "name": "Van", "capacity": 3})
    assert r.status == 201 and r.json == {"id": "van", "name": "Van", "capacity": 3, "active": True,
                                          "buffer_before_s": 0, "buffer_after_s": 0, "overnight": False}, r
    invalid(ctx.admin.post(p("/resources"), body={"name": "Bad", "capacity": 0}), "capacity")
    invalid(ctx.admin.post(p("/resources"), body={"id": "has space", "name": "Bad"}), "id")
    r = ctx.admin.patch(p("/resources/van"), body={"capacity": 4})
    assert r.status == 200 and r.json["capacity"] == 4, r
    assert ctx.ann.get(p("/resources/van")).json["capacity"] == 4
    assert ctx.ann.delete(p("/resources/van")).status == 403
    assert ctx.admin.delete(p("/resources/van")).status == 204
    assert ctx.admin.get(p("/resources/nope")).status == 404


# ---- schedules, time off: the staff role on its own provider ----------------------------

def test_staff_may_write_only_their_own_schedules(ctx):
    r = ctx.ann.get(p("/schedules?owner=provider:ann"))
    assert r.status == 200 and len(r.json["schedules"]) == 5, r
    assert all(s["owner"] == "provider:ann" for s in r.json["schedules"])
    assert ctx.ann.get(p("/schedules?owner=someone")).status == 400
    own = {"owner": "provider:ann", "weekday": "sat", "start": "09:00", "end": "11:00"}
    r = ctx.ann.post(p("/schedules"), body=own)
    assert r.status == 201, r
    sid = r.json["id"]
    assert r.json["start"] == "09:00" and r.json["end"] == "11:00" and r.json["valid_from"] is None
    # Another provider's, or the business's: forbidden.
    assert ctx.ann.post(p("/schedules"), body=dict(own, owner="provider:bob")).status == 403
    assert ctx.ann.post(p("/schedules"), body=dict(own, owner="business")).status == 403
    assert ctx.nobody.post(p("/schedules"), body=own).status == 403
    assert ctx.ann.patch(p("/schedules/" + sid), body={"owner": "provider:bob"}).status == 403
    r = ctx.ann.patch(p("/schedules/" + sid), body={"end": "12:00"})
    assert r.status == 200 and r.json["end"] == "12:00", r
    bob = ctx.admin.post(p("/schedules"), body=dict(own, owner="provider:bob"))
    assert bob.status == 201, bob
    assert ctx.ann.delete(p("/schedules/" + bob.json["id"])).status == 403
    assert ctx.admin.delete(p("/schedules/" + bob.json["id"])).status == 204
    assert ctx.ann.delete(p("/schedules/" + sid)).status == 204
    assert ctx.ann.get(p("/schedules/" + sid)).status == 404
    # Validation: field paths.
    invalid(ctx.ann.post(p("/schedules"), body={"owner": "provider:ann", "weekday": "someday", "start": "9am",
                                                "end": "25:00", "valid_from": "2026-13-01"}),
            "weekday", "start", "end", "valid_from")
    invalid(ctx.admin.post(p("/schedules"), body=dict(own, owner="provider:ghost")), "owner")
    invalid(ctx.admin.post(p("/schedules"), body=dict(own, valid_from="2026-06-02", valid_to="2026-06-01")),
            "valid_from")
    # Crossing midnight is allowed: 22:00-02:00.
    r = ctx.admin.post(p("/schedules"), body={"owner": "provider:bob", "weekday": "sun", "start": "22:00",
                                               "end": "02:00"})
    assert r.status == 201 and r.json["end"] == "02:00", r
    assert ctx.admin.delete(p("/schedules/" + r.json["id"])).status == 204


def test_staff_time_off_on_their_own_provider(ctx):
    body = {"owner": "provider:ann", "start": "2026-06-09T00:00:00+01:00", "end": "2026-06-10T00:00:00+01:00",
            "reason": "dentist"}
    before = slots(ctx, "2026-06-09")
    assert "2026-06-09T09:00:00+01:00" in before
    r = ctx.ann.post(p("/time-off"), body=body)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["start"] == "2026-06-09T00:00:00+01:00" and r.json["reason"] == "dentist"
    assert slots(ctx, "2026-06-09") == []  # at once: Ann was the only one working that Tuesday
    assert ctx.ann.post(p("/time-off"), body=dict(body, owner="provider:bob")).status == 403
    invalid(ctx.ann.post(p("/time-off"), body=dict(body, end="2026-06-08T00:00:00+01:00")), "end")
    invalid(ctx.ann.post(p("/time-off"), body=dict(body, start="tomorrow")), "start")
    invalid(ctx.admin.post(p("/time-off"), body=dict(body, owner="business")), "owner")
    r = ctx.ann.get(p("/time-off?owner=provider:ann&from=2026-06-01&to=2026-06-30"))
    assert [t["id"] for t in r.json["time_off"]] == [tid], r
    assert ctx.ann.get(p("/time-off?from=June")).status == 400
    r = ctx.ann.get(p("/time-off?owner=provider:bob"))
    # A colleague's time off shows when, not why.
    assert len(r.json["time_off"]) == 1 and r.json["time_off"][0]["reason"] == ""
    assert ctx.ann.delete(p("/time-off/" + r.json["time_off"][0]["id"])).status == 403
    r = ctx.ann.patch(p("/time-off/" + tid), body={"end": "2026-06-09T10:00:00+01:00"})
    assert r.status == 200, r
    assert slots(ctx, "2026-06-09")[0] == "2026-06-09T10:00:00+01:00"
    assert ctx.ann.delete(p("/time-off/" + tid)).status == 204
    assert slots(ctx, "2026-06-09") == before


# ---- closures, overrides: availability changes at once ---------------------------------

def test_closure_removes_slots_at_once(ctx):
    before = slots(ctx, "2026-06-10")
    assert before, "fixture: Ann works on Wednesdays"
    assert ctx.ann.post(p("/closures"), body={"date": "2026-06-10"}).status == 403
    r = ctx.admin.post(p("/closures"), body={"date": "2026-06-10", "name": "Staff training"})
    assert r.status == 201, r
    cid = r.json["id"]
    assert slots(ctx, "2026-06-10") == []
    r = ctx.admin.post(p("/closures"), body={"date": "2026-06-10", "name": "Twice"})
    assert r.status == 409, r
    invalid(ctx.admin.post(p("/closures"), body={"date": "10/06/2026"}), "date")
    r = ctx.ann.get(p("/closures?from=2026-06-01&to=2026-12-31"))
    assert [c["date"] for c in r.json["closures"]] == ["2026-06-10", "2026-12-25"], r
    r = ctx.admin.patch(p("/closures/" + cid), body={"date": "2026-06-11"})
    assert r.status == 200 and r.json["name"] == "Staff training", r
    assert slots(ctx, "2026-06-10") == before and slots(ctx, "2026-06-11") == []
    assert ctx.admin.delete(p("/closures/" + cid)).status == 204
    assert slots(ctx, "2026-06-11")


def test_overrides(ctx):
    r = ctx.admin.post(p("/overrides"), body={"owner": "provider:ann", "date": "2026-06-12", "start": "10:00",
                                               "end": "11:00"})
    assert r.status == 201, r
    oid = r.json["id"]
    assert slots(ctx, "2026-06-12") == ["2026-06-12T10:00:00+01:00", "2026-06-12T10:30:00+01:00"]
    r = ctx.admin.patch(p("/overrides/" + oid), body={"closed": True})
    assert r.status == 200 and r.json["closed"] is True and r.json["start"] is None, r
    assert slots(ctx, "2026-06-12") == []
    assert ctx.ann.post(p("/overrides"), body={"owner": "provider:ann", "date": "2026-06-13", "closed": True}).status == 403
    invalid(ctx.admin.post(p("/overrides"), body={"owner": "provider:ann", "date": "2026-06-13", "start": "11:00",
                                                   "end": "10:00"}), "end")
    r = ctx.ann.get(p("/overrides?owner=provider:ann&from=2026-06-01&to=2026-06-30"))
    assert [o["id"] for o in r.json["overrides"]] == [oid], r
    assert ctx.admin.delete(p("/overrides/" + oid)).status == 204
    assert len(slots(ctx, "2026-06-12")) == 6


def test_schedule_change_publishes_an_availability_event(ctx):
    st = Stream(ctx.srv.port, "/api/v1/public/%s/events" % SLUG)
    try:
        assert st.read_until(": connected", 5)
        r = ctx.ann.post(p("/schedules"), body={"owner": "provider:ann", "weekday": "sun", "start": "10:00",
                                                "end": "12:00"})
        assert r.status == 201, r
        assert st.read_until("event: availability", 5), st.buf
        assert b'"service":"cut"' in st.buf
        assert slots(ctx, "2026-06-07") == ["2026-06-07T10:00:00+01:00", "2026-06-07T10:30:00+01:00",
                                            "2026-06-07T11:00:00+01:00", "2026-06-07T11:30:00+01:00"]
        st.buf = b""
        assert ctx.ann.delete(p("/schedules/" + r.json["id"])).status == 204
        assert st.read_until("event: availability", 5), st.buf
        assert slots(ctx, "2026-06-07") == []
    finally:
        st.close()


# ---- sessions -------------------------------------------------------------------------

def test_sessions(ctx):
    r = ctx.ann.get(p("/sessions?service=yoga"))
    assert r.status == 200 and [s["id"] for s in r.json["sessions"]] == ["yoga-1"], r
    s = r.json["sessions"][0]
    assert s["capacity"] == 8 and s["end"] == "2026-06-03T19:00:00+01:00" and s["seats_taken"] == 0
    body = {"service": "yoga", "provider": "ann", "resource": "room", "start": "2026-06-10T18:00:00+01:00",
            "capacity": 4}
    assert ctx.ann.post(p("/sessions"), body=body).status == 403
    r = ctx.admin.post(p("/sessions"), body=body)
    assert r.status == 201, r
    sid = r.json["id"]
    assert r.json["end"] == "2026-06-10T19:00:00+01:00" and r.json["capacity"] == 4
    q = urllib.parse.urlencode({"service": "yoga", "from": "2026-06-10", "to": "2026-06-10"})
    day = ctx.c.get("/api/v1/public/%s/availability?%s" % (SLUG, q)).json["days"][0]
    assert [x["seats_left"] for x in day["slots"]] == [4]
    invalid(ctx.admin.post(p("/sessions"), body=dict(body, service="cut")), "service")
    invalid(ctx.admin.post(p("/sessions"), body=dict(body, provider="ghost", capacity=0)), "provider")
    invalid(ctx.admin.patch(p("/sessions/" + sid), body={"end": "2026-06-10T20:00:00+01:00"}), "end")
    b = ctx.c.post("/api/v1/public/%s/bookings" % SLUG,
                   body={"service": "yoga", "start": "2026-06-10T18:00:00+01:00", "seats": 2,
                         "customer": {"name": "Lu", "email": "lu@example.com"}})
    assert b.status == 201, b
    assert ctx.admin.get(p("/sessions/" + sid)).json["seats_taken"] == 2
    assert ctx.admin.patch(p("/sessions/" + sid), body={"capacity": 1}).status == 409
    assert ctx.admin.patch(p("/sessions/" + sid), body={"start": "2026-06-10T19:00:00+01:00"}).status == 409
    r = ctx.admin.patch(p("/sessions/" + sid), body={"capacity": 6})
    assert r.status == 200 and r.json["capacity"] == 6, r
    assert ctx.admin.delete(p("/sessions/" + sid)).status == 409
    r = ctx.admin.post(p("/sessions"), body=dict(body, start="2026-06-17T18:00:00+01:00"))
    assert ctx.admin.delete(p("/sessions/" + r.json["id"])).status == 204


def test_closure_and_time_off_take_sessions_away(ctx):
    """A class on a closure day, or while its leader is off, is not offered nor bookable."""
    r = ctx.admin.post(p("/sessions"), body={"service": "yoga", "provider": "ann", "resource": "room",
                                             "start": "2026-06-24T18:00:00+01:00", "capacity": 4})
    assert r.status == 201, r
    q = urllib.parse.urlencode({"service": "yoga", "from": "2026-06-24", "to": "2026-06-24"})

    def seats():
        day = ctx.c.get("/api/v1/public/%s/availability?%s" % (SLUG, q)).json["days"][0]
        return [x["seats_left"] for x in day["slots"]]

    def book():
        return ctx.c.post("/api/v1/public/%s/bookings" % SLUG,
                          body={"service": "yoga", "start": "2026-06-24T18:00:00+01:00",
                                "customer": {"name": "Lu", "email": "lu@example.com"}})

    def listed():
        """The public sessions list (the booking page's waiting lists) names the session."""
        got = ctx.c.get("/api/v1/public/%s/sessions?%s" % (SLUG, q))
        assert got.status == 200, got
        return [x["id"] for x in got.json["sessions"]].count(sid)

    sid = r.json["id"]
    assert seats() == [4] and listed() == 1
    b = book()
    assert b.status == 201, b
    # the preview of a closure that day lists the class's booking
    r = ctx.admin.post(p("/closures?dry_run=1"), body={"date": "2026-06-24", "name": "Floods"})
    assert r.status == 200 and [(a["reference"], a["reason"]) for a in r.json["affected"]] == [(b.json["reference"], "closure")], r
    assert ctx.admin.post(p("/bookings/%s/cancel" % b.json["reference"]), body={"reason": "test"}).status == 200
    c = ctx.admin.post(p("/closures"), body={"date": "2026-06-24", "name": "Floods"})
    assert c.status == 201, c
    assert seats() == [] and listed() == 0
    refused = book()
    assert refused.status == 409 and refused.json["reason"] == "closure", refused
    assert ctx.admin.delete(p("/closures/" + c.json["id"])).status == 204
    off = ctx.ann.post(p("/time-off"), body={"owner": "provider:ann", "start": "2026-06-24T17:30:00+01:00",
                                             "end": "2026-06-24T18:30:00+01:00"})
    assert off.status == 201, off
    assert seats() == [] and listed() == 0
    refused = book()
    assert refused.status == 409 and refused.json["reason"] == "time_off", refused
    assert ctx.ann.delete(p("/time-off/" + off.json["id"])).status == 204
    assert seats() == [4] and listed() == 1
    assert ctx.admin.delete(p("/sessions/" + sid)).status == 204


# ---- the whole configuration ----------------------------------------------------------

def export_cli(ctx, slug):
    return json.loads(harness.bookd("export", "--db", ctx.db_url, "--business", slug).stdout)


def test_config_export_import_round_trip(ctx):
    assert ctx.ann.get(p("/config")).status == 403
    r = ctx.admin.get(p("/config"))
    assert r.status == 200, r
    doc = r.json
    assert doc["business"]["slug"] == SLUG and "id" not in doc["business"]
    assert {"providers", "resources", "services", "schedules", "overrides", "time_off", "closures",
            "sessions"} <= set(doc)
    assert doc["closures"] == [{"date": "2026-12-25", "name": "Christmas Day"}]
    assert {"owner": "business", "date": "2026-12-31", "closed": True} in doc["overrides"]
    assert export_cli(ctx, SLUG) == doc
    copy = json.loads(json.dumps(doc))
    copy["business"]["slug"] = "cat-copy"
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(copy, f)
    try:
        harness.bookd("import", "--db", ctx.db_url, "--file", path)
    finally:
        os.unlink(path)
    again = export_cli(ctx, "cat-copy")
    assert again["business"]["slug"] == "cat-copy"
    again["business"]["slug"] = SLUG
    assert again == doc
    out = os.path.join(tempfile.mkdtemp(), "cat.json")
    harness.bookd("export", "--db", ctx.db_url, "--business", SLUG, "--file", out)
    with open(out) as f:
        assert json.load(f) == doc
    p2 = harness.bookd("export", "--db", ctx.db_url, "--business", "nope", check=False)
    assert p2.returncode == 1 and "no business" in p2.stderr


def test_config_put_replaces_in_one_transaction(ctx):
    doc = ctx.admin.get(p("/config")).json
    assert ctx.admin.put(p("/config"), body=doc).status == 403
    r = ctx.owner.put(p("/config"), body=doc)
    assert r.status == 200, r
    assert r.json == doc  # the same document changes nothing
    # An invalid document: every field named, nothing written.
    bad = json.loads(json.dumps(doc))
    bad["business"]["name"] = "Renamed"
    bad["services"][0]["duration_s"] = 0
    bad["schedules"][0]["owner"] = "provider:ghost"
    bad["business"]["slug"] = "other"
    r = ctx.owner.put(p("/config"), body=bad)
    invalid(r, "services[0].duration_s", "schedules[0].owner", "business.slug")
    assert ctx.admin.get(p("/config")).json == doc
    # Leaving out a service that bookings refer to: 409, nothing written.
    booked = [s["id"] for s in doc["services"] if s["id"] == "shave"]
    if booked:
        gone = json.loads(json.dumps(doc))
        gone["services"] = [s for s in gone["services"] if s["id"] != "shave"]
        gone["business"]["name"] = "Renamed"
        r = ctx.owner.put(p("/config"), body=gone)
        assert r.status == 409, r
        assert any("shave" in e["field"] for e in r.json["errors"]), r.json
        assert ctx.admin.get(p()).json["name"] == doc["business"]["name"]
    # A real change: new closure, no Saturday rule, a new resource, a renamed business.
    new = json.loads(json.dumps(doc))
    new["business"]["name"] = "Cat Salon 2"
    new["closures"].append({"date": "2026-06-15", "name": "Inventory"})
    new["schedules"] = [s for s in new["schedules"] if s["weekday"] != "sat"]
    new["resources"].append({"id": "chair", "name": "Chair", "capacity": 1, "active": True})
    r = ctx.owner.put(p("/config"), body=new)
    assert r.status == 200, r
    assert r.json["business"]["name"] == "Cat Salon 2"
    assert {"date": "2026-06-15", "name": "Inventory"} in r.json["closures"]
    assert slots(ctx, "2026-06-15") == []
    assert ctx.admin.get(p("/resources/chair")).status == 200
    # Ann's link to her user survives a replace.
    assert ctx.admin.get(p("/providers/ann")).json["user_id"] == ctx.ann_user
    r = ctx.owner.put(p("/config"), body=doc)
    assert r.status == 200 and r.json == doc, r
    assert ctx.admin.get(p("/resources/chair")).status == 404


# ---- linking a provider to a staff user (user_id) ---------------------------------------

def staff_booking(ctx, provider, start, email):
    """An admin's manual booking of Cut with provider, outside hours if need be."""
    r = ctx.admin.post(p("/bookings"), body={"service": "cut", "provider": provider, "start": start,
                                             "override": True,
                                             "customer": {"name": "Guest", "email": email}})
    assert r.status == 201, r
    return r.json["id"]


def test_staff_user_link_validation(ctx):
    # Unlinked by default, readable in the list and in one provider.
    r = ctx.admin.post(p("/providers"), body={"id": "dora", "name": "Dora"})
    assert r.status == 201 and r.json["user_id"] is None, r
    listed = {x["id"]: x for x in ctx.admin.get(p("/providers")).json["providers"]}
    assert listed["ann"]["user_id"] == ctx.ann_user and listed["dora"]["user_id"] is None
    assert ctx.ann.get(p("/providers/ann")).json["user_id"] == ctx.ann_user
    # Must name a user of this business.
    invalid(ctx.admin.patch(p("/providers/dora"), body={"user_id": "usr_missing"}), "user_id")
    invalid(ctx.admin.patch(p("/providers/dora"), body={"user_id": ctx.foreign_user}), "user_id")
    invalid(ctx.admin.patch(p("/providers/dora"), body={"user_id": ""}), "user_id")
    invalid(ctx.admin.patch(p("/providers/dora"), body={"user_id": 12}), "user_id")
    invalid(ctx.admin.post(p("/providers"), body={"name": "Eli", "user_id": ctx.foreign_user}), "user_id")
    assert ctx.admin.get(p("/providers/dora")).json["user_id"] is None
    # One user, one provider: a second link is a 409 that names the first.
    r = ctx.admin.patch(p("/providers/dora"), body={"user_id": ctx.ann_user})
    assert r.status == 409 and "already linked to provider 'ann'" in r.json["detail"], r
    r = ctx.admin.post(p("/providers"), body={"id": "eli", "name": "Eli", "user_id": ctx.ann_user})
    assert r.status == 409 and "'ann'" in r.json["detail"], r
    assert ctx.admin.get(p("/providers/eli")).status == 404
    # Setting the link a provider already has, or changing another field, is fine.
    r = ctx.admin.patch(p("/providers/ann"), body={"user_id": ctx.ann_user, "email": "ann@cat.test"})
    assert r.status == 200 and r.json["user_id"] == ctx.ann_user, r
    # Only admins and owners link: not the staff user, not even for their own provider.
    assert ctx.ann.patch(p("/providers/ann"), body={"user_id": None}).status == 403
    assert ctx.nobody.patch(p("/providers/dora"), body={"user_id": ctx.cleo_user}).status == 403
    assert ctx.ann.get(p("/providers/ann")).json["user_id"] == ctx.ann_user
    # The owner links on creation; null unlinks, and the user is then free for another.
    r = ctx.owner.post(p("/providers"), body={"id": "eli", "name": "Eli", "user_id": ctx.cleo_user})
    assert r.status == 201 and r.json["user_id"] == ctx.cleo_user, r
    r = ctx.owner.patch(p("/providers/eli"), body={"user_id": None})
    assert r.status == 200 and r.json["user_id"] is None, r
    r = ctx.admin.patch(p("/providers/dora"), body={"user_id": ctx.cleo_user})
    assert r.status == 200 and r.json["user_id"] == ctx.cleo_user, r
    r = ctx.admin.patch(p("/providers/dora"), body={"user_id": None})
    assert r.status == 200 and r.json["user_id"] is None, r
    # Not part of the configuration document.
    assert all("user_id" not in x for x in ctx.owner.get(p("/config")).json["providers"])
    for pid in ("dora", "eli"):
        assert ctx.admin.delete(p("/providers/" + pid)).status == 204


def test_staff_user_link_narrows_bookings_and_time_off(ctx):
    day = "2026-09-15"  # a Tuesday no other test books
    ann_b = staff_booking(ctx, "ann", day + "T09:00:00+01:00", "for-ann@example.com")
    bob_b = staff_booking(ctx, "bob", day + "T10:00:00+01:00", "for-bob@example.com")
    c = ctx.cleo
    q = p("/bookings?from=%s&to=%s" % (day, day))
    off = {"owner": "provider:bob", "start": "2026-09-21T00:00:00+01:00", "end": "2026-09-22T00:00:00+01:00",
           "reason": "course"}
    # Not linked yet: no bookings, no time off for anyone.
    assert c.get(q).json["bookings"] == []
    assert c.post(p("/time-off"), body=off).status == 403
    r = ctx.admin.patch(p("/providers/bob"), body={"user_id": ctx.cleo_user})
    assert r.status == 200 and r.json["user_id"] == ctx.cleo_user, r
    # Linked to Bob: exactly Bob's bookings, while the admin sees both.
    r = c.get(q)
    assert r.status == 200 and [b["id"] for b in r.json["bookings"]] == [bob_b], r
    assert {b["id"] for b in ctx.admin.get(q).json["bookings"]} == {ann_b, bob_b}
    assert c.get(p("/bookings/" + ann_b)).status == 404
    # Time off for Bob only.
    r = c.post(p("/time-off"), body=off)
    assert r.status == 201 and r.json["owner"] == "provider:bob", r
    tid = r.json["id"]
    assert c.post(p("/time-off"), body=dict(off, owner="provider:ann")).status == 403
    # Staff see their own reasons; a colleague's time off shows when, never why.
    ann_off = ctx.admin.post(p("/time-off"), body=dict(off, owner="provider:ann", reason="clinic"))
    assert ann_off.status == 201, ann_off
    seen = {x["id"]: x["reason"] for x in c.get(p("/time-off")).json["time_off"]}
    assert seen[tid] == "course" and seen[ann_off.json["id"]] == ""
    assert c.get(p("/time-off/" + ann_off.json["id"])).json["reason"] == ""
    assert ctx.admin.get(p("/time-off/" + ann_off.json["id"])).json["reason"] == "clinic"
    assert ctx.admin.delete(p("/time-off/" + ann_off.json["id"])).status == 204
    # Unlinked: back to nothing, and Bob's time off is no longer theirs to change.
    r = ctx.admin.patch(p("/providers/bob"), body={"user_id": None})
    assert r.status == 200 and r.json["user_id"] is None, r
    assert c.get(q).json["bookings"] == []
    assert c.delete(p("/time-off/" + tid)).status == 403
    assert ctx.admin.delete(p("/time-off/" + tid)).status == 204
    for bid in (ann_b, bob_b):
        assert ctx.admin.post(p("/bookings/%s/cancel" % bid), body={"reason": "test"}).status == 200
