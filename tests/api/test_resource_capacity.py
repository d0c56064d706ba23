"""A resource's capacity counts (DESIGN.md "Availability"): a treatment room with two beds
takes two massages at once and refuses a third, in the slots and in the write under a race;
seats_left is the smaller of what the providers and the room allow."""
import harness

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
SPA = {
    "business": {"slug": "spa", "name": "Two Bed Spa", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "p%d" % i, "name": "Therapist %d" % i} for i in range(1, 7)],
    "resources": [{"id": "room", "name": "Treatment room", "capacity": 2}],
    "services": [{"id": "massage", "name": "Massage", "duration_s": 3600, "slot_interval_s": 3600,
                  "needs_resource": True, "providers": ["p%d" % i for i in range(1, 7)], "resources": ["room"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"} for d in WEEKDAYS],
}
N = 0


def setup(ctx):
    harness.import_doc(ctx.db_url, SPA)
    ctx.srv = ctx.server(test_clock="2026-12-01T06:00:00Z", env={"BOOKD_RATE_LIMITS": "off"})


def slot_at(ctx, day, hhmm):
    r = ctx.srv.client.get("/api/v1/public/spa/availability?service=massage&from=%s&to=%s&tz=Europe/London" % (day, day))
    assert r.status == 200, r
    return next((s for d in r.json["days"] for s in d["slots"] if s["start"][11:16] == hhmm), None)


def book(client, start, provider=None):
    global N
    N += 1
    body = {"service": "massage", "start": start, "customer": {"name": "Guest %d" % N, "email": "g%d@example.com" % N}}
    if provider:
        body["provider"] = provider
    return client.post("/api/v1/public/spa/bookings", body=body)


def test_two_beds_take_two_massages_and_refuse_a_third(ctx):
    s = slot_at(ctx, "2026-12-09", "10:00")
    assert s["seats_left"] == 2 and len(s["providers"]) == 6, s
    c = ctx.srv.client
    assert book(c, "2026-12-09T10:00:00Z", "p1").status == 201
    s = slot_at(ctx, "2026-12-09", "10:00")
    assert s and s["seats_left"] == 1 and "p1" not in s["providers"], s
    assert book(c, "2026-12-09T10:00:00Z", "p2").status == 201
    assert slot_at(ctx, "2026-12-09", "10:00") is None
    r = book(c, "2026-12-09T10:00:00Z", "p3")
    assert r.status == 409, r
    # The next hour is free again for both beds.
    assert slot_at(ctx, "2026-12-09", "11:00")["seats_left"] == 2


def test_a_race_for_the_room_books_exactly_its_capacity(ctx):
    res = harness.parallel(12, lambda i: book(ctx.srv.new_client(), "2026-12-10T14:00:00Z"))
    codes = sorted(r.status for r in res)
    assert codes.count(201) == 2 and codes.count(409) == 10, codes
    assert slot_at(ctx, "2026-12-10", "14:00") is None
