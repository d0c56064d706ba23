"""Waiting lists of an appointment service over a window of dates (optionally one provider
and a range of start times): a cancelled appointment's time is offered to the first entry
that fits it, declined or lapsed it passes on, accepted it is booked; windows end."""

import harness

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}, {"id": "cy", "name": "Cy"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "min_notice_s": 3600,
         "providers": ["ann", "bob"]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 4, "providers": ["cy"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def book(ctx, start, provider, email):
    r = ctx.c.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": start, "provider": provider, "customer": {"name": "X", "email": email}})
    assert r.status == 201, r
    return r.json


def cancel(ctx, b):
    r = ctx.c.post("/api/v1/public/bookings/%s/cancel" % b["reference"], body={},
                   headers={"Authorization": "Bearer " + b["manage_token"]})
    assert r.status == 200, r


def join(ctx, email, **window):
    body = {"service": "cut", "customer": {"name": email.split("@")[0], "email": email}}
    body.update(window)
    return ctx.c.post("/api/v1/public/%s/waitlist" % SLUG, body=body)


def entry(ctx, e):
    r = ctx.c.get("/api/v1/public/waitlist/%s?t=%s" % (e["id"], e["token"]))
    assert r.status == 200, r
    return r.json


def act(ctx, e, what):
    return ctx.c.post("/api/v1/public/waitlist/%s/%s?t=%s" % (e["id"], what, e["token"]))


def ann_free_at(ctx, day, start):
    a = ctx.c.get("/api/v1/public/%s/availability?service=cut&provider=ann&from=%s&to=%s" % (SLUG, day, day)).json
    return any(s["start"] == start for d in a["days"] for s in d["slots"])


def test_a_cancelled_time_goes_to_the_first_who_fits(ctx):
    at(ctx, NOW)
    x = book(ctx, "2026-06-10T10:00:00+01:00", "ann", "x@example.com")
    other = join(ctx, "a@example.com", **{"from": "2026-06-10", "to": "2026-06-10", "provider": "bob"})
    assert other.status == 201, other
    assert other.json["window"] == {"from": "2026-06-10", "to": "2026-06-10", "provider": "bob",
                                    "time_from": None, "time_to": None}
    assert other.json["session"] is None and other.json["position"] == 1
    late = join(ctx, "b@example.com", **{"from": "2026-06-11", "to": "2026-06-12"}).json
    noon = join(ctx, "c@example.com", **{"from": "2026-06-09", "to": "2026-06-10", "time_from": "12:00",
                                        "time_to": "14:00"}).json
    d = join(ctx, "d@example.com", **{"from": "2026-06-10", "to": "2026-06-10", "provider": "ann",
                                     "time_from": "09:00", "time_to": "11:00"}).json
    e = join(ctx, "e@example.com", **{"from": "2026-06-08", "to": "2026-06-12"}).json
    assert d["position"] == 4 and e["position"] == 5
    again = join(ctx, "d@example.com", **{"from": "2026-06-10", "to": "2026-06-10"})
    assert again.status == 200 and again.json["id"] == d["id"]
    cancel(ctx, x)
    # D is the first whose window, provider and hours take ann at 10:00.
    got = entry(ctx, d)
    assert got["status"] == "offered", got
    assert got["start"] == "2026-06-10T10:00:00+01:00" and got["offer"]["expires_at"] == "2026-06-01T07:30:00+01:00"
    assert [entry(ctx, w)["status"] for w in (other.json, late, noon, e)] == ["waiting"] * 4
    assert not ann_free_at(ctx, "2026-06-10", "2026-06-10T10:00:00+01:00")
    # Declined: the next who fits, at once.
    assert act(ctx, d, "decline").json["status"] == "declined"
    assert entry(ctx, e)["status"] == "offered"
    assert not ann_free_at(ctx, "2026-06-10", "2026-06-10T10:00:00+01:00")
    # Lapsed: nobody else fits, so the time is free for everyone.
    at(ctx, "2026-06-01T06:30:00Z")
    for _ in range(100):
        if entry(ctx, e)["status"] == "expired":
            break
        import time
        time.sleep(0.05)
    assert entry(ctx, e)["status"] == "expired"
    assert entry(ctx, noon)["status"] == "waiting" and entry(ctx, late)["status"] == "waiting"
    assert ann_free_at(ctx, "2026-06-10", "2026-06-10T10:00:00+01:00")


def test_accept_books_the_offered_time(ctx):
    at(ctx, NOW)
    y = book(ctx, "2026-06-15T11:00:00+01:00", "bob", "y@example.com")
    f = join(ctx, "f@example.com", **{"from": "2026-06-15", "to": "2026-06-15", "provider": "bob"}).json
    cancel(ctx, y)
    assert entry(ctx, f)["status"] == "offered"
    r = act(ctx, f, "accept")
    assert r.status == 201, r
    assert r.json["provider"] == "bob" and r.json["start"] == "2026-06-15T11:00:00+01:00"
    assert r.json["status"] == "confirmed"
    assert entry(ctx, f)["status"] == "booked" and entry(ctx, f)["reference"] == r.json["reference"]


def test_join_window_refusals(ctx):
    at(ctx, NOW)
    bad = [
        ({"from": "2026-06-12", "to": "2026-06-10"}, "to"),
        ({"from": "2026-06-10", "to": "2026-06-10", "provider": "cy"}, "provider"),
        ({"from": "2026-06-10", "to": "2026-06-10", "time_from": "09:00"}, "time_to"),
        ({"from": "2026-06-10", "to": "2026-06-10", "time_from": "11:00", "time_to": "10:00"}, "time_to"),
        ({"from": "2026-06-10", "to": "2026-06-10", "time_from": "9am", "time_to": "10:00"}, "time_from"),
        ({"from": "2026-05-01", "to": "2026-05-02"}, "to"),
        ({"from": "2026-06-10", "to": "2026-06-10", "seats": 2}, "seats"),
        ({"from": "2026-06-10", "to": "2026-06-10", "session": "s1"}, "from"),
    ]
    for window, field in bad:
        r = join(ctx, "bad@example.com", **window)
        assert r.status == 422 and any(x["field"] == field for x in r.json["errors"]), (window, r)
    r = ctx.c.post("/api/v1/public/%s/waitlist" % SLUG, body={
        "service": "yoga", "from": "2026-06-10", "to": "2026-06-10", "customer": {"name": "Y", "email": "y@example.com"}})
    assert r.status == 422 and r.json["errors"][0]["field"] == "service", r


def test_waiting_ends_with_the_window(ctx):
    at(ctx, NOW)
    g = join(ctx, "g@example.com", **{"from": "2026-06-01", "to": "2026-06-02"}).json
    at(ctx, "2026-06-02T22:59:00Z")  # 23:59 on the 2nd in London
    import time
    time.sleep(1.2)
    assert entry(ctx, g)["status"] == "waiting"
    at(ctx, "2026-06-02T23:00:00Z")  # the window's end
    for _ in range(100):
        if entry(ctx, g)["status"] == "expired":
            break
        time.sleep(0.05)
    assert entry(ctx, g)["status"] == "expired"


def test_staff_offer_by_hand(ctx):
    import staff
    at(ctx, NOW)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", "a long enough password")
    o = staff.login(ctx, SLUG, "o@salon.test", "a long enough password")
    first = join(ctx, "h1@example.com", **{"from": "2026-06-16", "to": "2026-06-16"}).json
    second = join(ctx, "h2@example.com", **{"from": "2026-06-16", "to": "2026-06-16"}).json
    p = o.path("/waitlist/%s/offer" % second["id"])
    assert o.post(p, body={}).status == 422  # an appointment list needs the time offered
    r = o.post(p, body={"start": "2026-06-16T10:00:00+01:00", "provider": "ann"})
    assert r.status == 200 and r.json["status"] == "offered", r
    assert r.json["history"][-1]["kind"] == "offered" and r.json["history"][-1]["actor"].startswith("staff:")
    assert entry(ctx, first)["status"] == "waiting"  # out of turn
    assert not ann_free_at(ctx, "2026-06-16", "2026-06-16T10:00:00+01:00")
    assert o.post(p, body={"start": "2026-06-16T11:00:00+01:00"}).status == 409  # not waiting any more
    taken = o.post(o.path("/waitlist/%s/offer" % first["id"]), body={"start": "2026-06-16T10:00:00+01:00", "provider": "ann"})
    assert taken.status == 409 and taken.json["reason"] == "busy", taken
    assert act(ctx, second, "accept").status == 201
