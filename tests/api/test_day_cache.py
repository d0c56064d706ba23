"""The availability cache keeps what the engine computed per service and local day, shared by
every window, zone and "now": its answers must be exactly the engine's as asked. Two servers on
one database, one caching (the default) and one with --cache-bytes 0 (the engine run for each
question as it is asked), answer many generated questions; every answer must be the same
bytes, before and after bookings, holds, a hold's expiry and the clock moving on."""
import datetime
import json
import random
import urllib.parse

import harness

ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Pacific/Chatham",
         "Australia/Lord_Howe", "UTC", "Asia/Kolkata", "America/St_Johns"]
PROVS = ["ann", "bob", "cyd", "dee"]
DOC = {
    "business": {"slug": "dc", "name": "Day cache", "timezone": "Europe/London",
                 "currency": "EUR", "hold_ttl_s": 600},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"},
                  {"id": "cyd", "name": "Cyd", "timezone": "America/New_York"},
                  {"id": "dee", "name": "Dée \u00e9 \"q\" \\ \u6771"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 2700, "slot_interval_s": 900,
         "buffer_before_s": 600, "buffer_after_s": 900, "min_notice_s": 7200,
         "max_advance_s": 21 * 86400, "providers": PROVS},
        {"id": "group", "name": "Group", "duration_s": 3600, "slot_interval_s": 1800,
         "capacity": 3, "min_notice_s": 0, "max_advance_s": 60 * 86400,
         "providers": ["ann", "cyd"]},
        {"id": "yoga", "name": "Yoga", "kind": "class", "duration_s": 3600, "capacity": 4,
         "min_notice_s": 3600, "max_advance_s": 30 * 86400, "providers": ["bob"]},
    ],
    "schedules": (
        [{"owner": "provider:ann", "weekday": d, "start": "08:00", "end": "12:30"}
         for d in ("mon", "tue", "wed", "thu", "fri", "sat")]
        + [{"owner": "provider:ann", "weekday": d, "start": "13:15", "end": "18:00"}
           for d in ("mon", "wed", "fri")]
        + [{"owner": "provider:bob", "weekday": d, "start": "20:00", "end": "24:00"}
           for d in ("tue", "thu", "sat")]
        + [{"owner": "provider:cyd", "weekday": d, "start": "09:00", "end": "17:00"}
           for d in ("mon", "tue", "wed", "thu", "fri")]
        + [{"owner": "provider:dee", "weekday": d, "start": "00:30", "end": "03:30"}
           for d in ("sun", "mon")]
        + [{"owner": "business", "weekday": d, "start": "00:00", "end": "24:00"}
           for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    ),
    "closures": [{"date": "2026-03-20", "name": "Closed"}],
    "time_off": [{"owner": "provider:ann", "start": "2026-03-24T10:00:00Z",
                  "end": "2026-03-25T09:00:00Z"}],
    "overrides": [{"owner": "provider:bob", "date": "2026-03-26", "start": "06:00",
                   "end": "09:00"}],
    "sessions": [{"id": "y%d" % i, "service": "yoga", "provider": "bob",
                  "start": "2026-03-%02dT%02d:00:00Z" % (10 + i, 7 + i % 5)}
                 for i in range(18)],
}
CLOCK = "2026-03-09T09:07:13Z"


def setup(ctx):
    harness.import_doc(ctx.db_url, DOC)
    ctx.cached = ctx.server(test_clock=CLOCK, extra_args=["--rate-limits", "off"])
    ctx.plain = ctx.server(test_clock=CLOCK, extra_args=["--cache-bytes", "0", "--rate-limits", "off"])


def set_clock(ctx, instant):
    for s in (ctx.cached, ctx.plain):
        r = s.client.post("/api/v1/test/clock", body={"now": instant})
        assert r.status == 200, r


def question(rng):
    q = {"service": rng.choice(["cut", "cut", "group", "yoga"]),
         "tz": rng.choice(ZONES)}
    day0 = 8 + rng.randrange(0, 24)
    span = rng.choice([0, 0, 1, 2, 6, 13, 30])
    q["from"] = "2026-03-%02d" % day0 if day0 <= 31 else "2026-04-%02d" % (day0 - 31)
    end = day0 + span
    q["to"] = "2026-03-%02d" % end if end <= 31 else "2026-04-%02d" % (end - 31) \
        if end <= 61 else "2026-05-%02d" % (end - 61)
    if rng.random() < 0.4:
        q["provider"] = rng.choice(PROVS)
    if rng.random() < 0.2:
        q["seats"] = str(rng.choice([1, 2, 3]))
    return "/api/v1/public/dc/availability?" + urllib.parse.urlencode(q)


def compare(ctx, rng, n):
    """n generated questions, each asked of both servers (the caching one twice)."""
    seen = 0
    for _ in range(n):
        path = question(rng)
        want = ctx.plain.client.get(path)
        for _ in range(2):
            got = ctx.cached.client.get(path)
            assert got.status == want.status, (path, got, want)
            if want.status != 200:  # a problem: its request id is the server's own
                g, w = got.json, want.json
                g.pop("request_id"), w.pop("request_id")
                assert g == w, (path, g, w)
                continue
            assert got.body == want.body, (path, got.body[:300], want.body[:300])
        if want.status == 200:
            seen += sum(len(d["slots"]) for d in want.json["days"])
    return seen


def book(ctx, rng, hold):
    """A random free start of cut or group, booked (or held) through the caching server."""
    for _ in range(20):
        svc = rng.choice(["cut", "group"])
        r = ctx.cached.client.get("/api/v1/public/dc/availability?service=%s&from=2026-03-10"
                                  "&to=2026-03-24" % svc)
        slots = [s for d in r.json["days"] for s in d["slots"]]
        if not slots:
            continue
        s = rng.choice(slots)
        body = {"service": svc, "start": s["start"], "provider": rng.choice(s["providers"])}
        if hold:
            r = ctx.cached.client.post("/api/v1/public/dc/holds", body=body)
        else:
            body["customer"] = {"name": "C %d" % rng.randrange(10**6),
                                "email": "c%d@example.com" % rng.randrange(10**6)}
            r = ctx.cached.client.post("/api/v1/public/dc/bookings", body=body)
        assert r.status == 201, r
        return s["start"]
    raise AssertionError("nothing free to book")


def test_cached_answers_equal_the_engines(ctx):
    rng = random.Random(16)
    assert compare(ctx, rng, 150) > 1000  # the questions do see slots
    for _ in range(6):
        book(ctx, rng, hold=False)
    compare(ctx, rng, 80)
    # The next second, minute and day: notice and advance cut other starts.
    for clock in ("2026-03-09T09:07:14Z", "2026-03-09T11:59:00Z", "2026-03-12T00:00:00Z"):
        set_clock(ctx, clock)
        compare(ctx, rng, 60)
    # The same questions as the clock creeps on (whole answers are kept while the notice
    # cuts nothing they offer and the advance lets nothing in), across a notice edge and the
    # far end of the advance.
    same = [question(rng) for _ in range(25)]
    t = datetime.datetime(2026, 3, 12, 0, 0, tzinfo=datetime.timezone.utc)
    for _ in range(12):
        t += datetime.timedelta(seconds=rng.choice([1, 59, 300, 899, 901, 3600, 7199]))
        set_clock(ctx, t.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for path in same:
            want = ctx.plain.client.get(path)
            got = ctx.cached.client.get(path)
            assert got.status == want.status, (path, got, want)
            if want.status == 200:
                assert got.body == want.body, (t, path, got.body[:300], want.body[:300])


def test_a_hold_is_busy_until_it_expires_even_with_the_clock_held(ctx):
    rng = random.Random(7)
    set_clock(ctx, "2026-03-13T08:00:00Z")
    path = ("/api/v1/public/dc/availability?service=cut&from=2026-03-13&to=2026-03-22"
            "&provider=ann")
    before = ctx.cached.client.get(path).json
    for _ in range(5):
        book(ctx, rng, hold=True)
        held = ctx.cached.client.get(path)
        assert held.body == ctx.plain.client.get(path).body
    assert held.json != before
    # No write, only time: past the holds' expiry every start is offered again.
    set_clock(ctx, "2026-03-13T08:10:01Z")
    after = ctx.cached.client.get(path)
    assert after.body == ctx.plain.client.get(path).body
    # Every start is back but those the two hours' notice now excludes.
    edge = datetime.datetime(2026, 3, 13, 10, 10, 1, tzinfo=datetime.timezone.utc)
    for d in before["days"]:
        d["slots"] = [x for x in d["slots"]
                      if datetime.datetime.fromisoformat(x["start"]) >= edge]
    assert after.json == before
    compare(ctx, rng, 40)


def test_a_write_is_seen_by_the_next_answer(ctx):
    """A booking through either server: the caching one's very next answer leaves it out
    (on PostgreSQL the other server's write arrives by NOTIFY, so within a second)."""
    import time
    set_clock(ctx, CLOCK)
    path = "/api/v1/public/dc/availability?service=cut&from=2026-03-16&to=2026-03-16&tz=UTC"
    for srv in (ctx.cached, ctx.plain):
        got = ctx.cached.client.get(path).json
        slot = got["days"][0]["slots"][0]
        body = {"service": "cut", "start": slot["start"], "provider": slot["providers"][0],
                "customer": {"name": "W", "email": "w%d@example.com" % id(srv)}}
        r = srv.client.post("/api/v1/public/dc/bookings", body=body)
        assert r.status == 201, r
        deadline = time.time() + (1.0 if ctx.kind == "postgres" and srv is ctx.plain else 0)
        while True:
            now = ctx.cached.client.get(path).json
            first = now["days"][0]["slots"][0]
            gone = first["start"] != slot["start"] or \
                slot["providers"][0] not in first["providers"]
            if gone or time.time() >= deadline:
                break
            time.sleep(0.02)
        assert gone, (slot, first)
        assert now == ctx.plain.client.get(path).json
