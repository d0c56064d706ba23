"""Business hours bound everyone (DESIGN.md "Availability"): a salon's half-day on 24 December
shortens the day of a stylist who keeps weekly hours of her own, in the public slots, in a
booking's check, in "why no slot?" (business_hours) and in the staff calendar's open time; a
business without hours of its own bounds nothing."""
import harness
import staff

PW = "a long enough password"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SALON = {
    "business": {"slug": "halfday", "name": "Half Day Salon", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "sam", "name": "Sam"}, {"id": "tia", "name": "Tia"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800,
                  "providers": ["sam", "tia"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"} for d in WEEKDAYS]
    + [{"owner": "provider:sam", "weekday": d, "start": "09:00", "end": "18:00"} for d in WEEKDAYS],
    "overrides": [{"owner": "business", "date": "2026-12-24", "start": "09:00", "end": "13:00"}],
}
FREE = {
    "business": {"slug": "ownhours", "name": "Own Hours", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "uma", "name": "Uma"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "providers": ["uma"]}],
    "schedules": [{"owner": "provider:uma", "weekday": d, "start": "09:00", "end": "18:00"} for d in WEEKDAYS],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, SALON)
    harness.import_doc(ctx.db_url, FREE)
    staff.make_user(ctx, "halfday", "owner@halfday.test", "owner", PW)
    ctx.srv = ctx.server(test_clock="2026-12-01T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})
    ctx.owner = staff.login(ctx, "halfday", "owner@halfday.test", PW)


def slots(ctx, slug, day, provider=None):
    q = "service=cut&from=%s&to=%s&tz=Europe/London" % (day, day)
    if provider:
        q += "&provider=" + provider
    r = ctx.srv.client.get("/api/v1/public/%s/availability?%s" % (slug, q))
    assert r.status == 200, r
    return [(s["start"][11:16], sorted(s["providers"])) for d in r.json["days"] for s in d["slots"]]


def test_the_half_day_shortens_a_stylist_with_her_own_hours(ctx):
    eve = slots(ctx, "halfday", "2026-12-24")
    assert eve[0] == ("09:00", ["sam", "tia"]) and eve[-1] == ("12:30", ["sam", "tia"]), eve
    assert len(eve) == 8, eve
    # A normal day: Sam's own hours run to 18:00, the business's to 17:00.
    day = slots(ctx, "halfday", "2026-12-23", "sam")
    assert day[-1][0] == "16:30" and len(day) == 16, day
    # A booking in the afternoon is refused by the same check.
    r = ctx.srv.client.post("/api/v1/public/halfday/bookings", body={
        "service": "cut", "start": "2026-12-24T14:00:00Z", "provider": "sam",
        "customer": {"name": "Late Lou", "email": "lou@example.com"}})
    assert r.status == 409, r
    assert "business" in r.json["detail"], r.json


def test_why_no_slot_names_business_hours(ctx):
    path = ctx.owner.path("/availability/explain?service=cut&provider=sam&start=")
    r = ctx.owner.get(path + "2026-12-24T14:00:00Z")
    assert r.status == 200 and r.json["reason"] == "business_hours" and not r.json["offered"], r
    r = ctx.owner.get(path + "2026-12-23T17:00:00Z")
    assert r.json["reason"] == "business_hours", r
    r = ctx.owner.get(path + "2026-12-23T18:00:00Z")
    assert r.json["reason"] == "outside_hours", r  # outside her own hours first
    r = ctx.owner.get(path + "2026-12-24T12:30:00Z")
    assert r.json["offered"] and r.json["reason"] == "offered", r


def test_the_staff_calendar_draws_the_bounded_day(ctx):
    r = ctx.owner.get(ctx.owner.path("/calendar?from=2026-12-24&to=2026-12-24"))
    assert r.status == 200, r
    sam = next(b for b in r.json["bookables"] if b["id"] == "sam")
    assert [(o["start"][11:16], o["end"][11:16]) for o in sam["open"]] == [("09:00", "13:00")], sam


def test_a_business_without_hours_bounds_nothing(ctx):
    day = slots(ctx, "ownhours", "2026-12-24")
    assert day[-1][0] == "17:30" and len(day) == 18, day
