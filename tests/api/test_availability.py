"""GET /api/v1/public/{business}/availability over HTTP, on a fixture business."""
import urllib.parse

import harness

FIXTURE = {
    "business": {"slug": "salon", "name": "Salon", "timezone": "Europe/London", "currency": "GBP"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"},
                  {"id": "nia", "name": "Nia"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 900,
         "providers": ["ann", "bob"]},
        {"id": "night", "name": "Night shift", "duration_s": 3600, "slot_interval_s": 3600,
         "providers": ["nia"]},
        {"id": "off", "name": "Withdrawn", "duration_s": 1800, "active": False, "providers": ["ann"]},
    ],
    "schedules": (
        [{"owner": "provider:ann", "weekday": d, "start": "09:00", "end": "12:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
        + [{"owner": "provider:ann", "weekday": d, "start": "13:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri")]
        + [{"owner": "provider:bob", "weekday": d, "start": "10:00", "end": "16:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat")]
        + [{"owner": "provider:nia", "weekday": "sun", "start": "01:00", "end": "04:00"}]
        # The business's hours bound everyone's (test_business_hours.py): wide enough here
        # to leave each provider's own hours whole.
        + [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat")]
        + [{"owner": "business", "weekday": "sun", "start": "01:00", "end": "04:00"}]
    ),
    "closures": [{"date": "2026-06-05", "name": "Staff day"}],
    "time_off": [{"owner": "provider:bob", "start": "2026-06-02T00:00:00+01:00", "end": "2026-06-04T00:00:00+01:00"}],
    "overrides": [{"owner": "provider:ann", "date": "2026-06-06", "start": "11:00", "end": "12:00"}],
}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.srv = ctx.server(test_clock="2026-03-01T06:00:00Z")
    ctx.c = ctx.srv.client


def at(ctx, instant):
    r = ctx.c.post("/api/v1/test/clock", body={"now": instant})
    assert r.status == 200, r


def avail(ctx, **q):
    q.setdefault("service", "cut")
    return ctx.c.get("/api/v1/public/salon/availability?" + urllib.parse.urlencode(q))


def starts(day):
    return [s["start"] for s in day["slots"]]


def test_one_day_with_lunch_break(ctx):
    at(ctx, "2026-05-20T06:00:00Z")
    r = avail(ctx, **{"from": "2026-06-01", "to": "2026-06-01"})
    assert r.status == 200, r
    body = r.json
    assert body["service"] == "cut" and body["tz"] == "Europe/London"
    day = body["days"][0]
    assert day["date"] == "2026-06-01"
    s = starts(day)
    # Ann 09:00-12:00 and 13:00-17:00, Bob 10:00-16:00: union.
    assert s[0] == "2026-06-01T09:00:00+01:00"
    assert "2026-06-01T11:30:00+01:00" in s and "2026-06-01T16:30:00+01:00" == s[-1]
    # Ann: 11 + 15 starts; Bob adds 11:45-12:45 over her lunch.
    assert len(s) == len(set(s)) == 11 + 15 + 5
    by = {x["start"]: x for x in day["slots"]}
    assert by["2026-06-01T09:00:00+01:00"]["providers"] == ["ann"]
    assert by["2026-06-01T10:00:00+01:00"]["providers"] == ["ann", "bob"]
    assert by["2026-06-01T10:00:00+01:00"]["seats_left"] == 2
    assert by["2026-06-01T12:00:00+01:00"]["providers"] == ["bob"]  # Ann's lunch
    assert by["2026-06-01T10:00:00+01:00"]["end"] == "2026-06-01T10:30:00+01:00"


def test_every_date_appears_in_order(ctx):
    at(ctx, "2026-05-20T06:00:00Z")
    r = avail(ctx, **{"from": "2026-06-05", "to": "2026-06-08"})
    days = r.json["days"]
    assert [d["date"] for d in days] == ["2026-06-05", "2026-06-06", "2026-06-07", "2026-06-08"]
    assert days[0]["slots"] == []                    # closure
    assert starts(days[1])[0] == "2026-06-06T10:00:00+01:00"  # Saturday: Bob, and Ann's override
    sat = {x["start"]: x["providers"] for x in days[1]["slots"]}
    assert sat["2026-06-06T11:00:00+01:00"] == ["ann", "bob"]
    assert days[2]["slots"] == []                    # Sunday
    assert len(days[3]["slots"]) == 31


def test_time_off_removes_provider(ctx):
    at(ctx, "2026-05-20T06:00:00Z")
    r = avail(ctx, **{"from": "2026-06-02", "to": "2026-06-03"})
    slots = [s for d in r.json["days"] for s in d["slots"]]
    # Ann still works both days: an empty answer is a failure, not a pass.
    assert len(slots) > 0 and all(len(d["slots"]) > 0 for d in r.json["days"]), r.json
    for s in slots:
        assert s["providers"] == ["ann"], s


def test_client_zone_tokyo(ctx):
    at(ctx, "2026-05-20T06:00:00Z")
    r = avail(ctx, **{"from": "2026-06-01", "to": "2026-06-02", "tz": "Asia/Tokyo"})
    assert r.status == 200
    body = r.json
    assert body["tz"] == "Asia/Tokyo"
    d1, d2 = body["days"]
    # Tokyo's 1 June is London's 31 May 16:00 to 1 June 16:00: Monday's slots up to 15:45.
    assert starts(d1)[0] == "2026-06-01T17:00:00+09:00"
    assert starts(d1)[-1] == "2026-06-01T23:45:00+09:00"
    assert starts(d2)[0] == "2026-06-02T00:00:00+09:00"   # London 16:00 on 1 June
    assert all(s.endswith("+09:00") for s in starts(d1) + starts(d2))


def test_dst_spring_forward_rule_is_two_real_hours(ctx):
    at(ctx, "2026-03-01T06:00:00Z")
    r = avail(ctx, service="night", **{"from": "2026-03-29", "to": "2026-03-29"})
    assert starts(r.json["days"][0]) == ["2026-03-29T02:00:00+01:00", "2026-03-29T03:00:00+01:00"]
    r = avail(ctx, service="night", **{"from": "2026-03-22", "to": "2026-03-22"})
    assert starts(r.json["days"][0]) == ["2026-03-22T01:00:00+00:00", "2026-03-22T02:00:00+00:00",
                                         "2026-03-22T03:00:00+00:00"]


def test_provider_filter(ctx):
    at(ctx, "2026-05-20T06:00:00Z")
    r = avail(ctx, provider="bob", **{"from": "2026-06-01", "to": "2026-06-01"})
    slots = r.json["days"][0]["slots"]
    assert slots and all(s["providers"] == ["bob"] for s in slots)
    assert slots[0]["start"] == "2026-06-01T10:00:00+01:00"
    r = avail(ctx, provider="zed", **{"from": "2026-06-01", "to": "2026-06-01"})
    assert r.status == 400 and r.json["errors"][0]["field"] == "provider"


def test_maximum_advance_and_notice(ctx):
    at(ctx, "2026-03-01T06:00:00Z")
    # The default window is 90 days from now (2026-03-01 06:00 UTC): nothing after 30 May 06:00 UTC.
    r = avail(ctx, **{"from": "2026-05-29", "to": "2026-05-30"})
    d29, d30 = r.json["days"]
    assert starts(d29)[-1] == "2026-05-29T16:30:00+01:00"
    assert d30["slots"] == []  # Saturday 30 May 10:00 BST is 09:00 UTC, past the window


def test_errors_name_the_field(ctx):
    cases = [
        ({"service": "", "from": "2026-06-01", "to": "2026-06-01"}, "service"),
        ({"from": "2026-6-1", "to": "2026-06-01"}, "from"),
        ({"from": "2026-06-01", "to": "2026-02-30"}, "to"),
        ({"from": "2026-06-02", "to": "2026-06-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-06-01"}, "to"),
        ({"from": "2026-06-01", "to": "2026-06-01", "tz": "Mars/Base"}, "tz"),
        ({"from": "2026-06-01", "to": "2026-06-01", "seats": "0"}, "seats"),
    ]
    for q, field in cases:
        r = avail(ctx, **q)
        assert r.status == 400, (q, r)
        assert r.header("Content-Type") == "application/problem+json"
        assert field in [e["field"] for e in r.json["errors"]], (q, r.json)


def test_unknown_service_or_business_is_404(ctx):
    r = avail(ctx, service="nope", **{"from": "2026-06-01", "to": "2026-06-01"})
    assert r.status == 404
    r = avail(ctx, service="off", **{"from": "2026-06-01", "to": "2026-06-01"})
    assert r.status == 404  # inactive services are not offered
    r = ctx.c.get("/api/v1/public/nobody/availability?service=cut&from=2026-06-01&to=2026-06-01")
    assert r.status == 404


def test_92_days_is_the_longest_range(ctx):
    assert avail(ctx, **{"from": "2026-03-01", "to": "2026-06-01"}).status == 200
    assert avail(ctx, **{"from": "2026-03-01", "to": "2026-06-02"}).status == 400


