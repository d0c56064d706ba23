"""The public API under attack: bodies refuse keys they do not know and text with control
characters, holds and bookings are capped per client, and one address cannot empty a
calendar or send mail for others."""
import http.client
import json

import harness
import staff

NOW = "2026-06-01T06:00:00Z"  # a Monday, 07:00 in London

FIXTURE = {
    "business": {"slug": "hard", "name": "Hard", "timezone": "Europe/London", "currency": "EUR"},
    "providers": [{"id": "ann", "name": "Ann"}, {"id": "bob", "name": "Bob"}],
    "resources": [{"id": "lambo", "name": "Lamborghini"}, {"id": "ferrari", "name": "Ferrari"}],
    "services": [
        {"id": "cut", "name": "Cut", "duration_s": 1800, "slot_interval_s": 1800, "price_minor": 4000,
         "providers": ["ann", "bob"]},
        {"id": "hire", "name": "Hire", "kind": "rental", "duration_s": 3600, "slot_interval_s": 3600,
         "resources": ["lambo", "ferrari"]},
    ],
    "schedules": [{"owner": "business", "weekday": d, "start": "09:00", "end": "17:00"}
                  for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
}


PW = "a long enough secret"
# The in-memory request limits stay on but out of the way: what is measured is the
# business's own limits, counted in the database.
LIMITS_ON = {"BOOKD_RATE_LIMITS": "public_addr=100000/60,public_business=100000/60"}


def import_business(ctx, slug):
    doc = json.loads(json.dumps(FIXTURE))
    doc["business"]["slug"] = slug
    harness.import_doc(ctx.db_url, doc)
    staff.make_user(ctx, slug, "owner@%s.test" % slug, "owner", PW)


def setup(ctx):
    for slug in ("hard", "holdx", "sharex", "bookx", "racex", "slowx"):
        import_business(ctx, slug)
    ctx.srv = ctx.server(test_clock=NOW, env={"BOOKD_RATE_LIMITS": "off"})
    ctx.c = ctx.srv.client
    ctx.lim = ctx.server(test_clock=NOW, env=LIMITS_ON)


class From(harness.Client):
    """A client whose connection comes from another loopback address (127.0.0.N)."""

    def __init__(self, port, addr):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(addr, 0))


def free_starts(c, slug, days=7, service="cut", first="2026-06-01"):
    import datetime
    d0 = datetime.date.fromisoformat(first)
    to = (d0 + datetime.timedelta(days=days - 1)).isoformat()
    r = c.get("/api/v1/public/%s/availability?service=%s&from=%s&to=%s" % (slug, service, first, to))
    assert r.status == 200, r
    return [(s["start"], s["providers"]) for day in r.json["days"] for s in day["slots"]]


def errors(r):
    return {e["field"]: e["detail"] for e in (r.json or {}).get("errors", [])}


def count(ctx, sql):
    return int(harness.query(ctx.db_url, sql))


CUSTOMER = {"name": "Kim Lee", "email": "kim@example.com"}


def test_unknown_keys_are_refused_and_named(ctx):
    c = ctx.c
    before = count(ctx, "SELECT COUNT(*) FROM bookings")
    # The Ferrari customer: "resource" is not a field (it is "provider"); never silently ignored.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "resource": "ferrari", "waitlist": True,
                     "deposit_minor": 0, "customer": dict(CUSTOMER, vip=True)})
    assert r.status == 422, r
    e = errors(r)
    assert set(e) == {"resource", "waitlist", "deposit_minor", "customer.vip"}, e
    assert e["resource"] == "is not a field of this object", e
    r = c.post("/api/v1/public/hard/holds",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "resource": "ferrari"})
    assert r.status == 422 and set(errors(r)) == {"resource"}, r
    assert count(ctx, "SELECT COUNT(*) FROM bookings") == before  # nothing held or booked

    # The documented fields still book, and the manage routes refuse strangers too.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "hire", "start": "2026-06-02T09:00:00+01:00",
                     "end": "2026-06-02T12:00:00+01:00", "provider": "ferrari", "seats": 1,
                     "notes": "", "customer": dict(CUSTOMER, phone="+44 1", timezone="Europe/Paris",
                                                   sms=False)})
    assert r.status == 201 and r.json["provider"] == "ferrari", r
    ref, token = r.json["reference"], r.json["manage_token"]
    h = {"Authorization": "Bearer " + token}
    r = c.post("/api/v1/public/bookings/%s/reschedule" % ref, headers=h,
               body={"start": "2026-06-03T09:00:00+01:00", "end": "2026-06-03T12:00:00+01:00",
                     "resource": "lambo"})
    assert r.status == 422 and set(errors(r)) == {"resource"}, r
    r = c.post("/api/v1/public/bookings/%s/cancel" % ref, headers=h, body={"reason": "x", "refund": 100})
    assert r.status == 422 and set(errors(r)) == {"refund"}, r
    r = c.get("/api/v1/public/bookings/%s" % ref, headers=h)
    assert r.json["status"] == "confirmed" and r.json["start"].startswith("2026-06-02T09:00"), r


def test_control_characters_are_refused_in_text_fields(ctx):
    c = ctx.c
    before = count(ctx, "SELECT COUNT(*) FROM bookings")
    body = {"service": "cut", "start": "2026-06-04T10:00:00+01:00",
            "customer": {"name": "Eve\r\nBcc: x@y", "email": "eve@example.com",
                         "phone": "+44\t1"}, "notes": "fine\rnot"}
    r = c.post("/api/v1/public/hard/bookings", body=body)
    assert r.status == 422, r
    e = errors(r)
    assert set(e) == {"customer.name", "customer.phone", "notes"}, e
    for bad in ("Eve\nEve", "Eve\x00", "Eve\x1b[31m", "Eve\x7f", "Eve\u0085", "Eve\u2028x"):
        body = {"service": "cut", "start": "2026-06-04T10:00:00+01:00",
                "customer": {"name": bad, "email": "eve@example.com"}}
        r = c.post("/api/v1/public/hard/bookings", body=body)
        if "\x00" in bad:
            assert r.status in (400, 422), (bad, r)  # the JSON reader refuses \u0000 itself
        else:
            assert r.status == 422 and set(errors(r)) == {"customer.name"}, (bad, r)
    assert count(ctx, "SELECT COUNT(*) FROM bookings") == before
    # Notes are multi-line: line feeds and tabs stay, the rest of the name is plain text.
    r = c.post("/api/v1/public/hard/bookings",
               body={"service": "cut", "start": "2026-06-04T10:00:00+01:00",
                     "customer": {"name": "Ève O'Neil", "email": "eve@example.com"},
                     "notes": "line one\n\tline two"})
    assert r.status == 201, r
    ref, token = r.json["reference"], r.json["manage_token"]
    r = c.get("/api/v1/public/bookings/%s" % ref, headers={"Authorization": "Bearer " + token})
    assert r.json["notes"] == "line one\n\tline two" and r.json["customer"]["name"] == "Ève O'Neil", r
    r = c.post("/api/v1/public/bookings/%s/cancel" % ref, headers={"Authorization": "Bearer " + token},
               body={"reason": "bye\r\nX-Injected: 1"})
    assert r.status == 422 and set(errors(r)) == {"reason"}, r


def test_holds_per_client_cap_the_hold_attack(ctx):
    """65 hold requests from one address (the issue's attack) get at most the cap, whatever
    client token they send; another address still sees and holds free times."""
    c = ctx.lim.new_client()
    starts = free_starts(c, "holdx")
    assert len(starts) == 7 * 16, len(starts)
    held, refused = [], []
    for i in range(65):
        # Every other start, so no hold stands in another's way.
        r = c.post("/api/v1/public/holdx/holds", body={"service": "cut", "start": starts[2 * i % len(starts)][0]})
        (held if r.status == 201 else refused).append(r)
    assert len(held) == 2, [r.status for r in refused[:3]]
    r = refused[0]
    assert r.status == 429 and r.json["limit"] == "holds_per_address", r
    assert r.json["type"] == "/problems/too-many" and "holds" in r.json["detail"], r
    assert 0 < int(r.header("Retry-After")) <= 600, r.header("Retry-After")
    # A new client token per request does not pass the address cap.
    for i in range(10):
        r = c.post("/api/v1/public/holdx/holds", body={"service": "cut", "start": starts[2 * (65 + i) % len(starts)][0],
                                                       "client": "attacker-session-%04d" % i})
        assert r.status == 429, r
    assert count(ctx, "SELECT COUNT(*) FROM bookings b JOIN businesses z ON z.id = b.business_id "
                      "WHERE z.slug = 'holdx' AND b.status = 'held'") == 2
    # Another customer, from another address, sees every other start free and holds one.
    other = From(ctx.lim.port, "127.0.0.2")
    seen = free_starts(other, "holdx")
    assert len(seen) >= len(starts) - 2, (len(seen), len(starts))
    r = other.post("/api/v1/public/holdx/holds", body={"service": "cut", "start": seen[-1][0],
                                                       "client": "real-customer-0001"})
    assert r.status == 201, r
    # Letting a hold go makes room again for the address.
    r = c.request("DELETE", "/api/v1/public/holdx/holds/%s" % held[0].json["id"])
    assert r.status == 204, r
    r = c.post("/api/v1/public/holdx/holds", body={"service": "cut", "start": starts[1][0]})
    assert r.status == 201, r
    # The per-session cap: two holds of one page, even from an address with room.
    s = staff.login(ctx, "holdx", "owner@holdx.test", PW, server=ctx.lim)
    r = s.request("PATCH", s.path("/protection"), body={"holds_per_address": 50})
    assert r.status == 200 and r.json["holds_per_address"] == 50 and r.json["holds_per_client"] == 2, r
    third = From(ctx.lim.port, "127.0.0.3")
    token = {"client": "one-browser-session-42"}
    codes = [third.post("/api/v1/public/holdx/holds", body=dict(token, service="cut", start=starts[2 * i + 21][0])).status
             for i in range(3)]
    assert codes == [201, 201, 429], codes
    r = third.post("/api/v1/public/holdx/holds", body={"service": "cut", "start": starts[27][0],
                                                       "client": "short"})
    assert r.status == 422 and set(errors(r)) == {"client"}, r


def test_slowdown_delays_the_busy_address_only(ctx):
    """Past slowdown_after holds and bookings in ten minutes, each further one from that
    address waits slowdown_ms, parked: with one HTTP thread another address is served at once
    meanwhile; ten minutes later the address is served at once again."""
    import threading
    import time
    srv = ctx.server(test_clock=NOW, env=LIMITS_ON, extra_args=("--threads", "1"))
    try:
        s = staff.login(ctx, "slowx", "owner@slowx.test", PW, server=srv)
        r = s.request("PATCH", s.path("/protection"),
                      body={"slowdown_after": 3, "slowdown_ms": 700, "holds_per_address": 100,
                            "holds_per_client": 0, "hold_day_share": 0})
        assert r.status == 200 and r.json["slowdown_after"] == 3 and r.json["slowdown_ms"] == 700, r
        busy = From(srv.port, "127.0.0.7")
        starts = free_starts(busy, "slowx")

        def hold(c, i):
            t0 = time.monotonic()
            r = c.post("/api/v1/public/slowx/holds", body={"service": "cut", "start": starts[2 * i][0]})
            return r, time.monotonic() - t0

        fast = [hold(busy, i) for i in range(3)]
        assert all(r.status == 201 for r, _ in fast), [r for r, _ in fast]
        assert max(t for _, t in fast) < 0.5, [t for _, t in fast]
        slowed = [hold(busy, i) for i in range(3, 5)]
        assert all(r.status == 201 for r, _ in slowed), [r for r, _ in slowed]
        assert min(t for _, t in slowed) >= 0.65, [t for _, t in slowed]
        # A booking from the busy address waits too.
        t0 = time.monotonic()
        r = busy.post("/api/v1/public/slowx/bookings",
                      body={"service": "cut", "start": starts[11][0], "customer": CUSTOMER})
        assert r.status == 201 and time.monotonic() - t0 >= 0.65, r
        # While the busy address waits, another is served at once on the only thread.
        waited = []
        th = threading.Thread(target=lambda: waited.append(hold(From(srv.port, "127.0.0.7"), 6)))
        th.start()
        time.sleep(0.15)
        other = From(srv.port, "127.0.0.8")
        r, t = hold(other, 7)
        th.join()
        assert r.status == 201 and t < 0.35, (r, t)
        assert waited[0][0].status == 201 and waited[0][1] >= 0.65, waited
        # Ten minutes on, the address's writes are out of the window.
        assert srv.client.post("/api/v1/test/clock", body={"now": "2026-06-01T06:10:01Z"}).status == 200
        r, t = hold(busy, 8)
        assert r.status == 201 and t < 0.5, (r, t)
    finally:
        srv.stop()


def test_holds_take_at_most_their_share_of_a_day(ctx):
    """Many clients (one address each, as a botnet would) cannot hold a whole day: live
    holds take at most hold_day_share percent of a provider's open time that day."""
    s = staff.login(ctx, "sharex", "owner@sharex.test", PW, server=ctx.lim)
    r = s.request("PATCH", s.path("/protection"), body={"holds_per_address": 0, "holds_per_client": 0})
    assert r.status == 200 and r.json["hold_day_share"] == 50, r
    c = ctx.lim.new_client()
    day = [st for st, who in free_starts(c, "sharex", days=1, first="2026-06-02")]
    assert len(day) == 16, day  # 09:00-17:00, every 30 minutes
    codes = []
    for st in day:
        r = c.post("/api/v1/public/sharex/holds", body={"service": "cut", "start": st, "provider": "ann"})
        codes.append(r.status)
        if r.status == 429:
            assert r.json["limit"] == "hold_day_share" and int(r.header("Retry-After")) > 0, r
    # Ann is open 8 hours that day: holds may take 4 of them.
    assert codes.count(201) == 8 and codes.count(429) == 8, codes
    # Everyone else still books Ann's free times directly, and Bob's day is untouched.
    other = From(ctx.lim.port, "127.0.0.4")
    left = [st for st, who in free_starts(other, "sharex", days=1, first="2026-06-02") if "ann" in who]
    assert len(left) == 8, left
    r = other.post("/api/v1/public/sharex/bookings", body={"service": "cut", "start": left[0], "provider": "ann",
                                                           "customer": {"name": "Real", "email": "real@example.com"}})
    assert r.status == 201, r
    r = c.post("/api/v1/public/sharex/holds", body={"service": "cut", "start": day[0], "provider": "bob"})
    assert r.status == 201, r


def test_bookings_per_address_and_email_are_limited(ctx):
    """300 bookings from one address (the issue's attack: 900 emails to addresses it chose)
    get at most the hourly limit; one email address gets its own limit; others still book."""
    c = ctx.lim.new_client()
    starts = free_starts(c, "bookx", days=14)
    outbox = ("SELECT COUNT(*) FROM notifications n JOIN businesses z ON z.id = n.business_id "
              "WHERE z.slug = 'bookx'")
    before = count(ctx, outbox)
    codes = {}
    first_refusal = None
    for i in range(300):
        r = c.post("/api/v1/public/bookx/bookings",
                   body={"service": "cut", "start": starts[(2 * i) % len(starts)][0],
                         "customer": {"name": "Victim %d" % i, "email": "victim%d@example.com" % i}})
        codes[r.status] = codes.get(r.status, 0) + 1
        if r.status == 429 and first_refusal is None:
            first_refusal = r
    assert codes.get(201) == 10, codes
    assert first_refusal.json["limit"] == "bookings_per_address_hour", first_refusal
    assert int(first_refusal.header("Retry-After")) == 3600, first_refusal.header("Retry-After")
    queued = count(ctx, outbox) - before
    assert queued <= 10 * 3, queued  # each: the confirmation and two reminders
    # One email from another address: 3 an hour.
    other = From(ctx.lim.port, "127.0.0.5")
    codes = []
    for i in range(5):
        r = other.post("/api/v1/public/bookx/bookings",
                       body={"service": "cut", "start": starts[2 * i + 1][0],
                             "customer": {"name": "Target", "email": " Target@Example.com"}})
        codes.append(r.status)
    assert codes == [201, 201, 201, 429, 429], codes
    assert r.json["limit"] == "bookings_per_email_hour", r
    # A third customer from yet another address books at once.
    third = From(ctx.lim.port, "127.0.0.6")
    r = third.post("/api/v1/public/bookx/bookings",
                   body={"service": "cut", "start": starts[41][0],
                         "customer": {"name": "Real", "email": "real@example.com"}})
    assert r.status == 201, r
    # An hour later the first address may book again, up to the daily limit of 30.
    assert ctx.lim.client.post("/api/v1/test/clock", body={"now": "2026-06-01T07:00:01Z"}).status == 200
    r = c.post("/api/v1/public/bookx/bookings",
               body={"service": "cut", "start": starts[-1][0],
                     "customer": {"name": "Back", "email": "back@example.com"}})
    assert r.status == 201, r
    # With --rate-limits off (load and race tests) the business limits are off too.
    r = ctx.c.post("/api/v1/public/bookx/bookings",
                   body={"service": "cut", "start": starts[-3][0],
                         "customer": {"name": "Target", "email": "target@example.com"}})
    assert r.status == 201, r


def test_limits_hold_across_processes(ctx):
    """Two bookd processes on one database, 40 racing hold requests and 40 racing bookings
    from one address: the database counts, so the caps hold across them."""
    second = ctx.server(test_clock=NOW, env=LIMITS_ON)
    servers = [ctx.lim, second]
    for srv in servers:  # one clock for both (another test may have moved ctx.lim's)
        assert srv.client.post("/api/v1/test/clock", body={"now": "2026-06-01T08:00:00Z"}).status == 200
    starts = free_starts(ctx.lim.new_client(), "racex", days=14)

    def hold(i):
        c = servers[i % 2].new_client()
        try:
            return c.post("/api/v1/public/racex/holds", body={"service": "cut", "start": starts[2 * i][0]}).status
        finally:
            c.close()

    def book(i):
        c = servers[i % 2].new_client()
        try:
            return c.post("/api/v1/public/racex/bookings",
                          body={"service": "cut", "start": starts[2 * i + 81][0],
                                "customer": {"name": "V", "email": "v%d@example.com" % i}}).status
        finally:
            c.close()

    codes = harness.parallel(40, hold)
    assert codes.count(201) == 2 and codes.count(429) == 38, codes
    codes = harness.parallel(40, book)
    assert codes.count(201) == 10 and codes.count(429) == 30, codes
