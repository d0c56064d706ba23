"""Recurring series and packages: weekly and every-N-weeks series across the March and October
DST changes of Europe/London and America/New_York (the wall time stays, the instant moves)
under each conflict policy; `fail` leaves nothing written; one summary email per series;
cancelling from the 3rd occurrence on (customer and staff); the limits; a public series is
one write of its client; packages counting down and back up."""
import json
import os
import tempfile
import time

import harness
import staff
from sinks import SmtpSink

PW = "a long enough password"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def fixture(slug, zone):
    return {
        "business": {"slug": slug, "name": slug.upper(), "timezone": zone, "currency": "EUR"},
        "providers": [{"id": "ann", "name": "Ann"}],
        "services": [
            {"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 900,
             "price_minor": 4000, "max_advance_s": 400 * 86400, "providers": ["ann"]},
        ],
        "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                      for d in DAYS],
    }


NOW = "2026-03-01T00:00:00Z"


def setup(ctx):
    for slug, zone in (("ldn", "Europe/London"), ("nyc", "America/New_York")):
        fd, path = tempfile.mkstemp(suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(fixture(slug, zone), f)
        harness.bookd("import", "--db", ctx.db_url, "--file", path)
        staff.make_user(ctx, slug, "o@%s.test" % slug, "owner", PW)
    ctx.sink = SmtpSink()
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "on"}, extra_args=[
        "--smtp-url", ctx.sink.url, "--smtp-from", "desk@ldn.test", "--public-url", "https://ldn.test"])
    ctx.c = ctx.srv.client
    ctx.ldn = staff.login(ctx, "ldn", "o@ldn.test", PW)
    ctx.nyc = staff.login(ctx, "nyc", "o@nyc.test", PW)


def teardown(ctx):
    ctx.sink.stop()


def series_body(start, email, policy="fail", count=4, every=1, until=None, **kw):
    rep = {"every_weeks": every}
    if until:
        rep["until"] = until
    else:
        rep["count"] = count
    body = {"service": "cut", "start": start, "repeat": rep, "policy": policy,
            "customer": {"name": email.split("@")[0].title(), "email": email}}
    body.update(kw)
    return body


def staff_series(c, start, email, **kw):
    return c.post(c.path("/series"), body=series_body(start, email, **kw))


def staff_book(c, start, email, **kw):
    body = {"service": "cut", "start": start, "customer": {"name": "Other", "email": email}}
    body.update(kw)
    r = c.post(c.path("/bookings"), body=body)
    assert r.status == 201, r
    return r.json


def starts(s):
    return [o.get("start") for o in s["occurrences"]]


def live_count(c, day_from, day_to, email):
    r = c.get(c.path("/bookings?from=%s&to=%s&limit=200&q=%s" % (day_from, day_to, email)))
    assert r.status == 200, r
    return len([b for b in r.json["bookings"] if b["status"] in ("confirmed", "pending")])


def test_london_spring_each_policy(ctx):
    c = ctx.ldn
    # Tuesdays 10:00 local from 17 March: GMT, then BST from 29 March.
    r = staff_series(c, "2026-03-17T10:00:00Z", "spring@example.com", policy="skip")
    assert r.status == 201, r
    assert starts(r.json) == ["2026-03-17T10:00:00+00:00", "2026-03-24T10:00:00+00:00",
                              "2026-03-31T10:00:00+01:00", "2026-04-07T10:00:00+01:00"], r.json
    assert r.json["booked"] == 4 and r.json["id"].startswith("ser_")
    refs = [o["reference"] for o in r.json["occurrences"]]
    assert len(set(refs)) == 4 and all(o["status"] == "confirmed" for o in r.json["occurrences"])
    # Each occurrence is an ordinary booking carrying the series in its history.
    d = c.get(c.path("/bookings/" + refs[2])).json
    assert d["start"] == "2026-03-31T10:00:00+01:00"
    assert d["history"][0]["changes"]["series"] == r.json["id"] and d["series"] == r.json["id"]
    got = c.get(c.path("/bookings/%s/series" % refs[3]))
    assert got.status == 200 and got.json["id"] == r.json["id"] and got.json["booked"] == 4
    # fail: the same Tuesdays with one taken: 409, every occurrence listed, nothing written.
    staff_book(c, "2026-03-31T11:00:00+01:00", "taken@example.com")
    r = staff_series(c, "2026-03-17T11:00:00Z", "failer@example.com", policy="fail")
    assert r.status == 409, r
    assert r.json["type"] == "/problems/series-not-free" and r.json["booked"] == 3
    bad = [o for o in r.json["occurrences"] if not o["free"]]
    assert [(o["seq"], o["reason"]) for o in bad] == [(3, "busy")], r.json
    assert live_count(c, "2026-03-16", "2026-04-08", "failer@example.com") == 0
    cust = c.get(c.path("/customers?q=failer%40example.com")).json
    assert all(x["email"] != "failer@example.com" for x in cust.get("customers", [])), cust
    # skip: the free ones, the taken one with its reason.
    r = staff_series(c, "2026-03-17T11:00:00Z", "skipper@example.com", policy="skip")
    assert r.status == 201 and r.json["booked"] == 3, r
    assert [o["free"] for o in r.json["occurrences"]] == [True, True, False, True]
    assert r.json["occurrences"][2]["reason"] == "busy" and "reference" not in r.json["occurrences"][2]
    # shift: the nearest free start the same day within the limit; 12:00 (the hour before
    # the taken 13:00) is nearer than 14:00 on the earlier side.
    staff_book(c, "2026-04-07T13:00:00+01:00", "taken2@example.com")
    r = staff_series(c, "2026-03-17T13:00:00Z", "shifter@example.com", policy="shift",
                     shift_limit_minutes=60)
    assert r.status == 201 and r.json["booked"] == 4, r
    o = r.json["occurrences"][3]
    assert o["shifted"] and o["reason"] == "busy" and o["start"] == "2026-04-07T12:00:00+01:00", o
    # A limit too tight to find one: skipped.
    staff_book(c, "2026-04-14T15:00:00+01:00", "taken3@example.com")
    staff_book(c, "2026-04-14T16:00:00+01:00", "taken4@example.com")
    staff_book(c, "2026-04-14T14:00:00+01:00", "taken5@example.com")
    r = staff_series(c, "2026-04-14T15:00:00+01:00", "tight@example.com", policy="shift",
                     count=2, shift_limit_minutes=30)
    assert r.status == 201 and [o["free"] for o in r.json["occurrences"]] == [False, True], r


def test_london_autumn_every_other_week_until(ctx):
    c = ctx.ldn
    # Every other Tuesday 09:30 from 13 October until 20 November: BST ends on the 25th.
    r = staff_series(c, "2026-10-13T09:30:00+01:00", "autumn@example.com", policy="skip", every=2,
                     until="2026-11-20")
    assert r.status == 201, r
    assert starts(r.json) == ["2026-10-13T09:30:00+01:00", "2026-10-27T09:30:00+00:00",
                              "2026-11-10T09:30:00+00:00"], r.json
    assert r.json["repeat"] == {"every_weeks": 2, "until": "2026-11-20"}
    # The same times again: every one is taken now. fail writes nothing, skip finds none,
    # shift moves each to the hour before, on both sides of the change.
    again = dict(policy="fail", every=2, until="2026-11-20")
    r = staff_series(c, "2026-10-13T09:30:00+01:00", "autumn2@example.com", **again)
    assert r.status == 409 and [o["reason"] for o in r.json["occurrences"]] == ["busy"] * 3, r
    r = staff_series(c, "2026-10-13T09:30:00+01:00", "autumn2@example.com", **dict(again, policy="skip"))
    assert r.status == 409 and "none of the occurrences" in r.json["detail"], r
    assert live_count(c, "2026-10-12", "2026-11-21", "autumn2@example.com") == 0
    r = staff_series(c, "2026-10-13T09:30:00+01:00", "autumn2@example.com", **dict(again, policy="shift"),
                     shift_limit_minutes=60)
    assert r.status == 201 and r.json["booked"] == 3, r
    assert starts(r.json) == ["2026-10-13T08:30:00+01:00", "2026-10-27T08:30:00+00:00",
                              "2026-11-10T08:30:00+00:00"], r.json
    assert all(o["shifted"] for o in r.json["occurrences"])


def test_new_york_march_and_november_each_policy(ctx):
    c = ctx.nyc
    # Mondays 09:00 from 2 March: EST, then EDT from the 8th.
    r = staff_series(c, "2026-03-02T09:00:00-05:00", "ny1@example.com", policy="fail", count=3)
    assert r.status == 201, r
    assert starts(r.json) == ["2026-03-02T09:00:00-05:00", "2026-03-09T09:00:00-04:00",
                              "2026-03-16T09:00:00-04:00"]
    # November: EDT until the 1st. One taken: fail refuses, skip books the rest, shift moves it.
    staff_book(c, "2026-11-02T10:00:00-05:00", "nytaken@example.com")
    r = staff_series(c, "2026-10-26T10:00:00-04:00", "ny2@example.com", policy="fail", count=2)
    assert r.status == 409 and [o["reason"] for o in r.json["occurrences"]] == ["offered", "busy"], r
    assert live_count(c, "2026-10-25", "2026-11-03", "ny2@example.com") == 0
    r = staff_series(c, "2026-10-26T10:00:00-04:00", "ny2@example.com", policy="skip", count=2)
    assert r.status == 201 and r.json["booked"] == 1, r
    assert r.json["occurrences"][1]["wanted_start"] == "2026-11-02T10:00:00-05:00"
    r = staff_series(c, "2026-10-26T11:00:00-04:00", "ny3@example.com", policy="shift", count=2,
                     shift_limit_minutes=120)
    assert r.status == 201 and r.json["booked"] == 2, r
    # 11:00 EST is free on 2 November (the taken hour is 10:00): no shift needed.
    assert r.json["occurrences"][1]["start"] == "2026-11-02T11:00:00-05:00"
    r = staff_series(c, "2026-10-26T10:00:00-04:00", "ny4@example.com", policy="shift", count=2,
                     shift_limit_minutes=120)
    assert r.status == 201 and r.json["booked"] == 2, r
    o = r.json["occurrences"][1]
    # 09:00 EST is the nearest free start (10:00 and 11:00 are taken).
    assert o["shifted"] and o["start"] == "2026-11-02T09:00:00-05:00", o


def test_public_series_one_email_and_cancel_from_third(ctx):
    before = len(ctx.sink.messages)
    pv = ctx.c.post("/api/v1/public/ldn/series/preview",
                    body={"service": "cut", "start": "2026-05-04T10:00:00+01:00",
                          "repeat": {"every_weeks": 1, "count": 5}, "policy": "skip"})
    assert pv.status == 200 and pv.json["preview"] is True and pv.json["booked"] == 5, pv
    assert "id" not in pv.json or pv.json["id"] is None
    r = ctx.c.post("/api/v1/public/ldn/series",
                   body=series_body("2026-05-04T10:00:00+01:00", "pub@example.com", policy="skip",
                                    count=5))
    assert r.status == 201 and r.json["booked"] == 5, r
    tok = r.json["manage_token"]
    refs = [o["reference"] for o in r.json["occurrences"]]
    # One email for the series, listing every date; no message per occurrence.
    got = ctx.sink.wait(lambda m: "pub@example.com" in m["to"], timeout=10)
    time.sleep(1.5)
    mine = [m for m in ctx.sink.messages[before:] if "pub@example.com" in m["to"]]
    assert len(mine) == 1, [str(m["msg"]["Subject"]) for m in mine]
    text = mine[0]["msg"].get_body(preferencelist=("plain",)).get_content()
    assert "a series from" in str(mine[0]["msg"]["Subject"]) and all(ref in text for ref in refs), text
    # The one manage token opens every occurrence; cancel from the 3rd on.
    auth = {"Authorization": "Bearer " + tok}
    s = ctx.c.get("/api/v1/public/bookings/%s/series" % refs[4], headers=auth)
    assert s.status == 200 and len(s.json["occurrences"]) == 5
    assert ctx.c.get("/api/v1/public/bookings/%s/series" % refs[4],
                     headers={"Authorization": "Bearer wrong"}).status == 404
    x = ctx.c.post("/api/v1/public/bookings/%s/series/cancel" % refs[2], body={}, headers=auth)
    assert x.status == 200 and x.json["cancelled"] == 3, x
    assert [o["status"] for o in x.json["occurrences"]] == ["confirmed"] * 2 + ["cancelled"] * 3
    free = ctx.c.get("/api/v1/public/ldn/availability?service=cut&from=2026-05-18&to=2026-05-18").json
    assert any(sl["start"] == "2026-05-18T10:00:00+01:00" for sl in free["days"][0]["slots"])
    assert ctx.sink.wait(lambda m: "pub@example.com" in m["to"] and
                         "Cancelled" in str(m["msg"]["Subject"]), timeout=10)
    # Nothing left from there: 409. Staff cancel the rest from the 1st.
    again = ctx.c.post("/api/v1/public/bookings/%s/series/cancel" % refs[3], body={}, headers=auth)
    assert again.status == 409, again
    y = ctx.ldn.post(ctx.ldn.path("/bookings/%s/series/cancel" % refs[0]), body={"notify": False})
    assert y.status == 200 and y.json["cancelled"] == 2, y


def test_limits_and_one_write_per_series(ctx):
    c = ctx.c
    r = c.post("/api/v1/public/ldn/series", body=series_body("2026-06-01T10:00:00+01:00", "l@example.com", count=53))
    assert r.status == 422 and any(e["field"] == "repeat.count" for e in r.json["errors"]), r
    r = c.post("/api/v1/public/ldn/series",
               body=series_body("2026-06-01T10:00:00+01:00", "l@example.com", until="2027-06-30"))
    assert r.status == 422 and "52" in r.json["detail"], r
    r = c.post("/api/v1/public/ldn/series",
               body=series_body("2026-06-01T10:00:00+01:00", "l@example.com", count=2, policy="maybe"))
    assert r.status == 422 and any(e["field"] == "policy" for e in r.json["errors"]), r
    r = c.post("/api/v1/public/ldn/series",
               body=series_body("2026-06-01T10:00:00+01:00", "l@example.com", count=2, package="x"))
    assert r.status == 422, r
    # Three series of four from one email: each is one booking of its client (the email may
    # make three an hour); the fourth write is refused.
    for i, hour in enumerate((8, 12, 16)):
        r = c.post("/api/v1/public/ldn/series",
                   body=series_body("2026-06-0%dT%02d:00:00+01:00" % (2 + i, hour), "lim@example.com", count=4))
        assert r.status == 201 and r.json["booked"] == 4, r
    r = c.post("/api/v1/public/ldn/series",
               body=series_body("2026-06-05T10:00:00+01:00", "lim@example.com", count=2))
    assert r.status == 429 and r.json["limit"] == "bookings_per_email_hour", r


def test_packages_count_down_and_up(ctx):
    c = ctx.ldn
    r = c.post(c.path("/packages"), body={"name": "Five cuts", "service": "cut", "sessions": 5,
                                           "price": {"amount_minor": 18000}})
    assert r.status == 201 and r.json["sessions"] == 5, r
    pkg = r.json["id"]
    assert c.post(c.path("/packages"), body={"name": "x", "service": "nope", "sessions": 1,
                                             "price": {"amount_minor": 1}}).status == 422
    assert any(p["id"] == pkg for p in c.get(c.path("/packages")).json["packages"])
    first = staff_book(c, "2026-07-01T09:00:00+01:00", "pack@example.com")
    cust = c.get(c.path("/bookings/" + first["reference"])).json["customer"]["id"]
    sold = c.post(c.path("/customers/%s/packages" % cust), body={"package": pkg})
    assert sold.status == 201 and sold.json["sold"]["remaining"] == 5, sold
    cpk = sold.json["sold"]["id"]

    def remaining():
        ps = c.get(c.path("/customers/%s/packages" % cust)).json["packages"]
        return [p["remaining"] for p in ps if p["id"] == cpk][0]

    one = staff_book(c, "2026-07-02T09:00:00+01:00", "pack@example.com", package=cpk)
    assert remaining() == 4 and one["package"] == cpk and "series" not in one
    r = staff_series(c, "2026-07-06T09:00:00+01:00", "pack@example.com", policy="skip", count=3,
                     package=cpk)
    assert r.status == 201 and r.json["booked"] == 3, r
    assert remaining() == 1
    # More than is left: fail writes nothing and the count stays.
    r = staff_series(c, "2026-08-03T09:00:00+01:00", "pack@example.com", policy="fail", count=2,
                     package=cpk)
    assert r.status == 409 and "no sessions left" in r.json["detail"], r
    assert remaining() == 1
    assert live_count(c, "2026-08-03", "2026-08-11", "pack@example.com") == 0
    # Cancelled: the session comes back, once.
    x = c.post(c.path("/bookings/%s/cancel" % one["reference"]), body={"reason": "ill"})
    assert x.status == 200, x
    assert remaining() == 2
    # Someone else's package is refused.
    other = staff_book(c, "2026-07-03T09:00:00+01:00", "stranger@example.com")
    body = {"service": "cut", "start": "2026-07-03T11:00:00+01:00", "package": cpk,
            "customer": {"name": "S", "email": "stranger@example.com"}}
    r = c.post(c.path("/bookings"), body=body)
    assert r.status == 409 and "not this customer" in r.json["detail"], r
    assert other["reference"]
    assert remaining() == 2


def test_hold_of_the_first_time_is_let_go(ctx):
    h = ctx.c.post("/api/v1/public/ldn/holds", body={"service": "cut", "start": "2026-09-07T10:00:00+01:00"})
    assert h.status == 201, h
    body = series_body("2026-09-07T10:00:00+01:00", "held@example.com", policy="fail", count=3)
    body["hold"] = h.json["id"]
    pv = ctx.c.post("/api/v1/public/ldn/series/preview", body=body)
    assert pv.status == 200 and pv.json["booked"] == 3, pv
    # Without it the hold stands in the way of the first occurrence.
    del body["hold"]
    pv = ctx.c.post("/api/v1/public/ldn/series/preview", body=body)
    assert pv.status == 409 and pv.json["occurrences"][0]["reason"] == "busy", pv
    body["hold"] = h.json["id"]
    r = ctx.c.post("/api/v1/public/ldn/series", body=body)
    assert r.status == 201 and r.json["booked"] == 3, r
    assert r.json["occurrences"][0]["start"] == "2026-09-07T10:00:00+01:00"


def test_idempotent_retry_books_once(ctx):
    body = series_body("2026-09-15T14:00:00+01:00", "idem@example.com", policy="skip", count=3)
    h = {"Idempotency-Key": "series-retry-1"}
    r1 = ctx.c.post("/api/v1/public/ldn/series", body=body, headers=h)
    assert r1.status == 201 and r1.json["booked"] == 3, r1
    r2 = ctx.c.post("/api/v1/public/ldn/series", body=body, headers=h)
    assert r2.status == 201 and r2.json["id"] == r1.json["id"], r2
    assert r2.json["manage_token"] == r1.json["manage_token"]
    assert any(k.lower() == "idempotent-replayed" for k, _ in r2.headers), r2.headers
    other = dict(body, policy="fail")
    r3 = ctx.c.post("/api/v1/public/ldn/series", body=other, headers=h)
    assert r3.status == 422 and r3.json["errors"][0]["field"] == "Idempotency-Key", r3
    assert live_count(ctx.ldn, "2026-09-14", "2026-10-01", "idem@example.com") == 3


def test_replace_business_drops_its_series_and_packages(ctx):
    # Runs last: the business, with the series and packages sold above, is replaced whole.
    assert ctx.ldn.get(ctx.ldn.path("/packages")).json["packages"], "packages to drop"
    fd, path = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(fixture("ldn", "Europe/London"), f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path, "--replace", "yes")
    os.unlink(path)
    staff.make_user(ctx, "ldn", "o@ldn.test", "owner", PW)
    c = staff.login(ctx, "ldn", "o@ldn.test", PW)
    assert c.get(c.path("/packages")).json["packages"] == []
