"""The day cache never serves slots past a fail-closed calendar's bound: answers computed
while a provider's CalDAV calendar (a real Radicale) was fresh hold only until its data
turns stale, even though nothing else happens (no sync round is due, no booking changes, no
cache version moves); the next question then gets no slots, reason calendar_stale."""
import time
import urllib.parse

import harness
import radicale
import staff

SLUG = "stale"
FIXTURE = {
    "business": {"slug": SLUG, "name": "Stale Salon", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "bob", "name": "Bob"}],
    "services": [{"id": "cut", "name": "Cut", "duration_s": 3600, "slot_interval_s": 3600,
                  "providers": ["bob"]}],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri")],
}
NOW = "2026-03-23T06:00:00Z"
PW = "a long enough password"


def setup(ctx):
    harness.import_doc(ctx.db_url, FIXTURE)
    staff.make_user(ctx, SLUG, "o@stale.test", "owner", PW)
    ctx.dav = radicale.Radicale({"bob": "bob-pw"})
    ctx.cal = ctx.dav.mkcalendar("bob", "main")
    ctx.srv = ctx.server(test_clock=NOW)
    ctx.owner = staff.login(ctx, SLUG, "o@stale.test", PW)
    ctx.http = harness.Client(ctx.srv.port)


def teardown(ctx):
    ctx.dav.close()


def starts(ctx, day="2026-03-24"):
    q = urllib.parse.urlencode({"service": "cut", "from": day, "to": day, "provider": "bob"})
    r = ctx.http.get("/api/v1/public/%s/availability?%s" % (SLUG, q))
    assert r.status == 200, r
    return [s["start"][11:16] for d in r.json["days"] for s in d["slots"]]


def set_clock(ctx, instant):
    assert ctx.http.post("/api/v1/test/clock", body={"now": instant}).status == 200



def test_day_cache_is_bounded_by_the_fail_closed_deadline(ctx):
    o = ctx.owner
    r = o.post(o.path("/calendar-connections"), body={
        "kind": "caldav", "url": ctx.dav.url + ctx.cal, "username": "bob", "password": "bob-pw",
        "provider_id": "bob", "push": False, "poll_interval_s": 3600, "fail_closed_after_min": 5})
    assert r.status == 201, r
    cid = r.json["id"]
    deadline = time.time() + 20
    while time.time() < deadline:
        h = o.get(o.path("/calendar-connections/" + cid)).json["health"]
        if h["state"] == "ok":
            break
        time.sleep(0.05)
    assert h["state"] == "ok" and h["last_success_at"].startswith("2026-03-23T06:00"), h
    fresh = starts(ctx)
    assert len(fresh) == 8, fresh
    # Within the bound: the same answer (computed once, then served from the day cache).
    # SQLite: each pooled connection's first read counts as "another process wrote" and
    # empties the cache, so every connection reads once first (the cache is then kept).
    set_clock(ctx, "2026-03-23T06:04:59Z")
    for _ in range(60):
        assert starts(ctx) == fresh
    # One second past last success + 5 minutes: no round ran, nothing changed, yet the
    # cached day must not be served: the provider is stale.
    set_clock(ctx, "2026-03-23T06:05:01Z")
    assert starts(ctx) == [], "the day cache served slots past the fail-closed bound"
    q = urllib.parse.urlencode({"service": "cut", "start": "2026-03-24T10:00:00+00:00", "provider": "bob"})
    r = o.get(o.path("/availability/explain?" + q))
    assert r.status == 200 and r.json["reason"] == "calendar_stale", r
    h = o.get(o.path("/calendar-connections/" + cid)).json["health"]
    assert h["state"] == "stale" and h["last_attempt_at"].startswith("2026-03-23T06:00"), h
    # A resync reads the calendar again: fresh, the slots come back.
    assert o.post(o.path("/calendar-connections/%s/resync" % cid)).status == 202
    deadline = time.time() + 20
    while time.time() < deadline and starts(ctx) != fresh:
        time.sleep(0.05)
    assert starts(ctx) == fresh
