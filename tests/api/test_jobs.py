"""Time-based transitions run by the jobs worker, driven by the test clock."""
import json
import time

import harness
from test_holds_events import Stream

FIXTURE = {
    "business": {"slug": "gym", "name": "Gym", "timezone": "Europe/London", "currency": "EUR",
                 "hold_ttl_s": 300},
    "providers": [{"id": "ann", "name": "Ann"}],
    "services": [{"id": "pt", "name": "Personal training", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["ann"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "08:00", "end": "18:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
FIXTURE_NS = json.loads(json.dumps(FIXTURE))
FIXTURE_NS["business"].update({"slug": "club", "auto_no_show": True, "no_show_grace_s": 900})


def setup(ctx):
    for doc in (FIXTURE, FIXTURE_NS):
        harness.import_doc(ctx.db_url, doc)
    ctx.srv = ctx.server(test_clock="2026-06-01T06:00:00Z")
    ctx.c = ctx.srv.client


def at(ctx, instant):
    assert ctx.c.post("/api/v1/test/clock", body={"now": instant}).status == 200


def status_soon(ctx, b, want):
    for _ in range(100):
        s = ctx.c.get("/api/v1/public/bookings/" + b["reference"],
                      headers={"Authorization": "Bearer " + b["manage_token"]}).json
        if s["status"] == want:
            return s
        time.sleep(0.02)
    raise AssertionError("status stayed %s, wanted %s" % (s["status"], want))


def book(ctx, slug, start):
    r = ctx.c.post("/api/v1/public/%s/bookings" % slug,
                   body={"service": "pt", "start": start, "customer": {"name": "Jo", "email": "jo@example.com"}})
    assert r.status == 201, r
    return r.json


def test_hold_expiry_frees_the_slot_and_says_so(ctx):
    at(ctx, "2026-06-01T06:00:00Z")
    h = ctx.c.post("/api/v1/public/gym/holds", body={"service": "pt", "start": "2026-06-02T09:00:00+01:00"})
    assert h.status == 201
    st = Stream(ctx.srv.port, "/api/v1/public/gym/events")
    assert st.read_until(": connected", 5)
    at(ctx, "2026-06-01T06:05:00Z")  # the hold's expiry instant
    assert st.read_until("event: availability", 2), st.buf
    assert '"dates":["2026-06-02"]' in st.buf.decode()
    st.close()
    r = ctx.c.post("/api/v1/public/gym/bookings",
                   body={"hold": h.json["id"], "customer": {"name": "Jo", "email": "jo@example.com"}})
    assert r.status == 409


def test_past_bookings_complete(ctx):
    at(ctx, "2026-06-01T06:00:00Z")
    b = book(ctx, "gym", "2026-06-03T09:00:00+01:00")
    at(ctx, "2026-06-03T08:59:59Z")  # one second before the end
    time.sleep(0.1)
    assert status_soon(ctx, b, "confirmed")
    at(ctx, "2026-06-03T09:00:00Z")
    s = status_soon(ctx, b, "completed")
    assert s["history"][-1]["actor"] == "job" and s["history"][-1]["kind"] == "complete"


def test_no_show_after_grace_where_enabled(ctx):
    at(ctx, "2026-06-01T06:00:00Z")
    b = book(ctx, "club", "2026-06-04T09:00:00+01:00")
    at(ctx, "2026-06-04T09:14:59Z")
    time.sleep(0.1)
    assert status_soon(ctx, b, "confirmed")
    at(ctx, "2026-06-04T09:15:00Z")
    s = status_soon(ctx, b, "no_show")
    assert s["history"][-1]["to"] == "no_show"
