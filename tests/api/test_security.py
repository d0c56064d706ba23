"""Security regressions: login refuses bodies a cross-site form could send, the booking pages
of message links are rate-limited like the public API, and a booking range longer than any
service allows is refused before the slot engine loads it."""
import json
import os
import tempfile
import time
import urllib.parse

import harness
import staff

NOW = "2026-06-01T06:00:00Z"
PW = "a long enough secret"

FIXTURE = {
    "business": {"slug": "sec", "name": "Sec", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}],
    "resources": [{"id": "boat", "name": "Boat"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "providers": ["ann"]},
        # A rental without a maximum length: only the request bound keeps its ranges short.
        {"id": "hire", "name": "Hire", "kind": "rental", "duration_s": 3600, "slot_interval_s": 3600,
         "resources": ["boat"], "max_advance_s": 3 * 366 * 86400},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}

FAR = "9999-06-02T10:00:00+01:00"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, "sec", "owner@sec.test", "owner", PW)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client


def field_of(r):
    return [e["field"] for e in (r.json or {}).get("errors", [])]


def test_login_needs_a_json_content_type(ctx):
    body = json.dumps({"business": "sec", "email": "owner@sec.test", "password": PW}).encode()
    c = ctx.srv.new_client()
    # What a cross-site <form enctype="text/plain"> (or urlencoded) would send: no session.
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                  "application/jsonp", None):
        hdrs = {"Content-Type": ctype} if ctype else {}
        r = c.request("POST", "/api/v1/auth/login", raw=body, headers=hdrs)
        assert r.status == 415, (ctype, r)
        assert r.header("Set-Cookie") is None, r
    for ctype in ("application/json", "application/json; charset=utf-8", "Application/JSON"):
        r = c.request("POST", "/api/v1/auth/login", raw=body, headers={"Content-Type": ctype})
        assert r.status == 200, (ctype, r)
        assert r.header("Set-Cookie"), r
    c.close()


def test_booking_pages_are_rate_limited(ctx):
    t = 1780300800 + 3600  # a whole minute: the window does not turn during the test
    srv = ctx.server(test_clock=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                     env={"BOOKD_RATE_LIMITS": "public_addr=3/60"})
    c = srv.new_client()
    for i in range(3):
        r = c.get("/b/AAAA-BBBB?t=guess%d" % i)
        assert r.status == 200, (i, r)  # the web app's page: the app asks the API
    r = c.get("/b/AAAA-BBBB?t=guess")
    assert r.status == 429 and r.header("Retry-After"), r
    # The manage API the page calls with the token is limited too.
    assert c.get("/api/v1/public/bookings/AAAA-BBBB?t=guess").status == 429
    assert c.get("/healthz").status == 200  # not limited
    c.close()
    assert srv.stop() == 0


def test_ranges_longer_than_any_service_allows_are_refused(ctx):
    c = ctx.c
    start = "2026-06-02T09:00:00+01:00"
    # A long but allowed rental still holds.
    r = c.post("/api/v1/public/sec/holds", body={"service": "hire", "start": start,
                                                 "end": "2026-07-02T09:00:00+01:00"})
    assert r.status == 201, r
    t0 = time.time()
    r = c.post("/api/v1/public/sec/holds", body={"service": "hire", "start": "2026-08-03T09:00:00+01:00",
                                                 "end": FAR})
    assert r.status == 422 and field_of(r) == ["end"], r
    r = c.post("/api/v1/public/sec/bookings",
               body={"service": "hire", "start": "2026-08-03T09:00:00+01:00", "end": FAR,
                     "customer": {"name": "Eve", "email": "eve@example.test"}})
    assert r.status == 422 and field_of(r) == ["end"], r
    r = c.post("/api/v1/public/sec/holds", body={"service": "hire", "start": "2026-08-03T09:00:00+01:00",
                                                 "end": "2027-08-06T09:00:00+01:00"})  # 368 days
    assert r.status == 422 and field_of(r) == ["end"], r
    assert time.time() - t0 < 2.0  # refused without loading millennia of hours

    # The customer's own reschedule.
    r = c.post("/api/v1/public/sec/bookings",
               body={"service": "hire", "start": "2026-09-01T09:00:00+01:00", "end": "2026-09-01T12:00:00+01:00",
                     "customer": {"name": "Cara", "email": "cara@example.test"}})
    assert r.status == 201, r
    ref, token = r.json["reference"], r.json["manage_token"]
    auth = {"Authorization": "Bearer " + token}
    r = c.post("/api/v1/public/bookings/%s/reschedule" % ref, body={"start": "2026-09-02T09:00:00+01:00",
                                                                   "end": FAR}, headers=auth)
    assert r.status == 422 and field_of(r) == ["end"], r

    # Staff: a manual booking, a reschedule and the explain view.
    s = staff.login(ctx, "sec", "owner@sec.test", PW)
    r = s.post(s.path("/bookings"), body={"service": "hire", "start": "2026-09-05T09:00:00+01:00", "end": FAR,
                                          "customer": {"name": "Dan", "email": "dan@example.test"}})
    assert r.status == 422 and "end" in field_of(r), r
    r = s.post(s.path("/bookings/%s/reschedule" % ref), body={"start": "2026-09-02T09:00:00+01:00", "end": FAR})
    assert r.status == 422 and "end" in field_of(r), r
    q = urllib.parse.urlencode({"service": "hire", "start": "2026-09-02T09:00:00+01:00", "end": FAR})
    r = s.get(s.path("/availability/explain?" + q))
    assert r.status == 400 and field_of(r) == ["end"], r
    q = urllib.parse.urlencode({"service": "hire", "start": "2026-09-02T09:00:00+01:00",
                                "end": "2026-09-03T09:00:00+01:00"})
    r = s.get(s.path("/availability/explain?" + q))
    assert r.status == 200 and r.json["offered"] is True, r


def test_booking_pages_cannot_be_framed(ctx):
    r = ctx.c.get("/b/AAAA-BBBB?t=nothing")
    assert r.status == 200 and r.header("Content-Type").startswith("text/html"), r
    assert "frame-ancestors 'none'" in r.header("Content-Security-Policy"), r.headers
    assert r.header("X-Frame-Options") == "DENY", r.headers


def test_customers_see_staff_actions_without_staff_ids(ctx):
    import staff
    import test_bookings as tb
    fd, path = tempfile.mkstemp(suffix=".json")
    doc = json.loads(json.dumps(tb.FIXTURE))
    doc["business"]["slug"] = "actors"
    with os.fdopen(fd, "w") as f:
        json.dump(doc, f)
    harness.bookd("import", "--db", ctx.db_url, "--file", path)
    srv = ctx.server(test_clock=tb.NOW)
    staff.make_user(ctx, "actors", "own@actors.test", "owner", "long enough password")
    s = staff.login(ctx, "actors", "own@actors.test", "long enough password", server=srv)
    r = srv.client.post("/api/v1/public/actors/bookings", body={"service": "cut", "start": "2026-06-03T09:00:00+01:00",
                        "customer": {"name": "Kim", "email": "kim@example.com"}})
    assert r.status == 201, r
    b = r.json
    lst = s.get(s.path("/bookings")).json
    bid = [x for x in lst["bookings"] if x["reference"] == b["reference"]][0]["id"]
    assert s.post(s.path("/bookings/%s/cancel" % bid), body={"reason": "closing early"}).status == 200
    g = srv.client.get("/api/v1/public/bookings/" + b["reference"], headers={"Authorization": "Bearer " + b["manage_token"]}).json
    actors = [h["actor"] for h in g["history"]]
    assert actors == ["customer", "staff"], actors
