"""Calendar feeds: created, listed, rotated and deleted by staff; read by calendar apps with
the secret in the address. Each feed is parsed back with Python's icalendar (Debian's
python3-icalendar): UIDs equal the booking emails', SEQUENCE follows the history, a
cancellation stays as STATUS:CANCELLED, times are UTC, the window is bounded, free/busy
shows nothing about the customer, ETag/If-None-Match answers 304, and a rotated or deleted
feed's old address is 404 at once."""
import datetime

import icalendar

import harness
import staff

SLUG = "salon"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Salon", "timezone": "Europe/London", "currency": "EUR",
                 "address": "1 High Street"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "room", "name": "Room", "capacity": 2}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "spa", "name": "Spa", "duration_s": 3600, "slot_interval_s": 3600, "price_minor": 9000,
         "providers": ["ann"], "resources": ["room"], "needs_resource": True},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-06-01T06:00:00Z"  # Monday, 07:00 in London
PW = "a long enough password"
SECRET_CUSTOMER = {"name": "Kim Secret-Lee", "email": "kim.secret@example.com", "phone": "+44 7700 900123"}


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@salon.test", "owner", PW)
    staff.make_user(ctx, SLUG, "s@salon.test", "staff", PW)
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@salon.test", PW)
    ctx.staff = staff.login(ctx, SLUG, "s@salon.test", PW)
    ctx.http = harness.Client(ctx.srv.port)
    o = ctx.owner
    ctx.bk = {}
    # One public booking (it has a manage token, so its own calendar entry can be read).
    r = ctx.http.post("/api/v1/public/%s/bookings" % SLUG, body={
        "service": "cut", "start": "2026-06-02T09:00:00+01:00", "provider": "ann",
        "customer": SECRET_CUSTOMER, "notes": "likes tea"})
    assert r.status == 201, r
    ctx.bk["ann1"] = r.json
    for key, start, provider, service in (("bob1", "2026-06-02T10:00:00+01:00", "bob", "cut"),
                                          ("spa", "2026-06-03T11:00:00+01:00", "ann", "spa"),
                                          ("far", "2026-08-25T09:00:00+01:00", "ann", "cut")):
        body = {"service": service, "start": start, "provider": provider, "customer": SECRET_CUSTOMER,
                "notes": "likes tea"}
        r = o.post(o.path("/bookings"), body=body)
        assert r.status == 201, r
        ctx.bk[key] = r.json
    for k, b in ctx.bk.items():
        b["id"] = harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % b["reference"])
    ctx.customer_id = harness.query(ctx.db_url, "SELECT customer_id FROM bookings WHERE reference = '%s'"
                                    % ctx.bk["ann1"]["reference"])
    assert harness.query(ctx.db_url, "SELECT COUNT(DISTINCT customer_id) FROM bookings") == "1"


def make_feed(ctx, want=201, **body):
    o = ctx.owner
    r = o.post(o.path("/calendar-feeds"), body=body)
    assert r.status == want, r
    return r.json


def feed_path(feed):
    path = feed["url"].split("://", 1)[1]
    return path[path.index("/"):]


def fetch(ctx, feed, headers=None, want=200):
    r = ctx.http.get(feed_path(feed), headers=headers or {})
    assert r.status == want, r
    return r


def events(r):
    assert r.header("Content-Type").startswith("text/calendar"), r
    cal = icalendar.Calendar.from_ical(r.body)
    assert str(cal["VERSION"]) == "2.0" and "bookd" in str(cal["PRODID"])
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def utc(e, name):
    v = e[name].dt
    assert v.tzinfo is not None and v.utcoffset() == datetime.timedelta(0), (name, v)
    return v


def test_provider_feed_parses_with_stable_uids(ctx):
    f = make_feed(ctx, scope="provider", subject_id="ann", name="Ann's bookings")
    assert f["token"].count(".") == 2 and f["hint"] == f["token"][-4:] and f["past_days"] == 30
    r = fetch(ctx, f)
    assert r.body.endswith("\r\n") and "\n" not in r.body.replace("\r\n", "")
    ev = events(r)
    # Ann's three bookings (the default window reaches 365 days ahead), not Bob's.
    want = {ctx.bk[k]["id"] + "@bookd" for k in ("ann1", "spa", "far")}
    assert set(ev) == want, set(ev)
    e = ev[ctx.bk["ann1"]["id"] + "@bookd"]
    assert utc(e, "DTSTART") == datetime.datetime(2026, 6, 2, 8, 0, tzinfo=datetime.timezone.utc)
    assert utc(e, "DTEND") == datetime.datetime(2026, 6, 2, 8, 30, tzinfo=datetime.timezone.utc)
    assert str(e["STATUS"]) == "CONFIRMED"
    assert "Kim Secret-Lee" in str(e["SUMMARY"]) and "likes tea" in str(e["DESCRIPTION"])
    # The same UID as the booking's own calendar entry and its emails.
    cal = ctx.http.get("/api/v1/public/bookings/%s/calendar.ics" % ctx.bk["ann1"]["reference"],
                       headers={"Authorization": "Bearer " + ctx.bk["ann1"]["manage_token"]})
    assert cal.status == 200, cal
    own = events(cal)
    assert set(own) == {ctx.bk["ann1"]["id"] + "@bookd"}
    assert int(own[ctx.bk["ann1"]["id"] + "@bookd"]["SEQUENCE"]) == int(e["SEQUENCE"])


def test_resource_business_and_customer_scopes(ctx):
    room = events(fetch(ctx, make_feed(ctx, scope="resource", subject_id="room")))
    assert set(room) == {ctx.bk["spa"]["id"] + "@bookd"}, (room, ctx.bk["spa"])
    biz = events(fetch(ctx, make_feed(ctx, scope="business")))
    assert {b["id"] + "@bookd" for b in ctx.bk.values()} <= set(biz)
    mine = events(fetch(ctx, make_feed(ctx, scope="customer", subject_id=ctx.customer_id)))
    assert set(mine) == {b["id"] + "@bookd" for b in ctx.bk.values()}
    e = mine[ctx.bk["bob1"]["id"] + "@bookd"]
    # The customer's own view: what, with whom, where; no staff notes.
    assert str(e["SUMMARY"]) == "Cut with Bob" and str(e["LOCATION"]) == "1 High Street"
    assert "likes tea" not in str(e.get("DESCRIPTION", ""))


def test_window_is_bounded(ctx):
    f = make_feed(ctx, scope="provider", subject_id="ann", future_days=30, past_days=0)
    assert set(events(fetch(ctx, f))) == {ctx.bk[k]["id"] + "@bookd" for k in ("ann1", "spa")}


def test_free_busy_has_no_customer_data(ctx):
    f = make_feed(ctx, scope="business", detail="free_busy")
    r = fetch(ctx, f)
    for secret in ("Kim", "Secret", "kim.secret", "7700", "tea", "Cut", "Spa", "Ann", "Bob", "Room",
                   ctx.bk["ann1"]["reference"]):
        assert secret not in r.body, secret
    ev = events(r)
    assert {b["id"] + "@bookd" for b in ctx.bk.values()} <= set(ev)
    for e in ev.values():
        assert str(e["SUMMARY"]) == "Busy" and "ATTENDEE" not in e and "DESCRIPTION" not in e
        assert "LOCATION" not in e and "URL" not in e and "ORGANIZER" not in e
    for b in ctx.bk.values():
        assert str(ev[b["id"] + "@bookd"]["TRANSP"]) == "OPAQUE"


def test_etag_304_and_change(ctx):
    f = make_feed(ctx, scope="provider", subject_id="bob")
    r1 = fetch(ctx, f)
    before = len(events(r1))
    etag = r1.header("ETag")
    assert etag and etag.startswith('"')
    r2 = fetch(ctx, f, headers={"If-None-Match": etag}, want=304)
    assert r2.body == ""
    assert fetch(ctx, f).body == r1.body  # the same bytes while nothing changed
    # A new booking changes the feed and its validator.
    o = ctx.owner
    r = o.post(o.path("/bookings"), body={"service": "cut", "start": "2026-06-04T09:00:00+01:00",
                                          "provider": "bob", "customer": {"name": "Al", "email": "al@example.com"}})
    assert r.status == 201, r
    r3 = fetch(ctx, f, headers={"If-None-Match": etag})
    assert r3.header("ETag") != etag and len(events(r3)) == before + 1


def test_z_cancelled_kept_with_sequence_then_dropped(ctx):
    # Last: it moves the clock past the other bookings, which the jobs worker then completes.
    o = ctx.owner
    r = o.post(o.path("/bookings"), body={"service": "cut", "start": "2026-06-05T09:00:00+01:00",
                                          "provider": "bob", "customer": {"name": "Cy", "email": "cy@example.com"}})
    assert r.status == 201, r
    bid = harness.query(ctx.db_url, "SELECT id FROM bookings WHERE reference = '%s'" % r.json["reference"])
    f = make_feed(ctx, scope="provider", subject_id="bob")
    e = events(fetch(ctx, f))[bid + "@bookd"]
    seq0 = int(e["SEQUENCE"])
    assert o.post(o.path("/bookings/%s/cancel" % bid), body={"reason": "ill"}).status == 200
    e = events(fetch(ctx, f))[bid + "@bookd"]
    assert str(e["STATUS"]) == "CANCELLED" and int(e["SEQUENCE"]) == seq0 + 1
    assert str(e["TRANSP"]) == "TRANSPARENT"
    # Fifteen days later the cancellation has been seen: it leaves the feed.
    assert ctx.http.post("/api/v1/test/clock", body={"now": "2026-06-16T07:00:00Z"}).status == 200
    try:
        assert bid + "@bookd" not in events(fetch(ctx, f))
    finally:
        assert ctx.http.post("/api/v1/test/clock", body={"now": NOW}).status == 200


def test_rotation_and_delete_stop_old_address_at_once(ctx):
    f = make_feed(ctx, scope="provider", subject_id="ann")
    fetch(ctx, f)
    o = ctx.owner
    r = o.post(o.path("/calendar-feeds/%s/rotate" % f["id"]))
    assert r.status == 200, r
    g = r.json
    assert g["id"] == f["id"] and g["token"] != f["token"] and g["rotated_at"]
    fetch(ctx, f, want=404)
    fetch(ctx, g)
    # The listing never shows a secret, and says when the feed was last read.
    lst = o.get(o.path("/calendar-feeds")).json["feeds"]
    mine = [x for x in lst if x["id"] == f["id"]][0]
    assert "token" not in mine and "url" not in mine and mine["last_read_at"]
    assert g["token"].split(".")[2] not in o.get(o.path("/calendar-feeds")).body
    # Forged tokens: right feed with a wrong secret of the same length, another business.
    b, fid, sec = g["token"].split(".")
    wrong = dict(g, url=g["url"].replace(g["token"], "%s.%s.%s" % (b, fid, "A" * len(sec))))
    fetch(ctx, wrong, want=404)
    fetch(ctx, dict(g, url=g["url"].replace(g["token"], "nope.%s.%s" % (fid, sec))), want=404)
    fetch(ctx, dict(g, url=g["url"].replace(g["token"], "garbage")), want=404)
    assert o.request("DELETE", o.path("/calendar-feeds/%s" % f["id"])).status == 204
    fetch(ctx, g, want=404)
    assert o.request("DELETE", o.path("/calendar-feeds/%s" % f["id"])).status == 404
    assert o.post(o.path("/calendar-feeds/%s/rotate" % f["id"])).status == 404


def test_validation_and_access(ctx):
    r = ctx.owner.post(ctx.owner.path("/calendar-feeds"), body={"scope": "provider", "subject_id": "zed",
                                                                "detail": "gossip", "past_days": 9999, "x": 1})
    assert r.status == 422 or r.status == 400, r
    fields = {e["field"] for e in r.json["errors"]}
    assert fields == {"detail", "past_days", "x"}, r.json
    r = ctx.owner.post(ctx.owner.path("/calendar-feeds"), body={"scope": "provider", "subject_id": "zed"})
    assert r.status in (400, 422) and [e["field"] for e in r.json["errors"]] == ["subject_id"], r
    r = ctx.owner.post(ctx.owner.path("/calendar-feeds"), body={"scope": "business", "subject_id": "ann"})
    assert r.status in (400, 422) and [e["field"] for e in r.json["errors"]] == ["subject_id"], r
    # Feeds are an admin's: the staff role may not list or make them.
    assert ctx.staff.get(ctx.staff.path("/calendar-feeds")).status == 403
    assert ctx.staff.post(ctx.staff.path("/calendar-feeds"), body={"scope": "business"}).status == 403
